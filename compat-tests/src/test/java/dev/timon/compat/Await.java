package dev.timon.compat;

import java.time.Duration;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Bounded polling for what controllers reach eventually; the failure says what was last seen. */
final class Await {

    private Await() {
    }

    /** Polls {@code state} until {@code done} holds for it, at most {@code limit}. */
    static <T> T until(String what, Duration limit, Supplier<T> state, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + limit.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = state.get();
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return fail("not reached within " + limit + ": " + what + "; last seen: " + last);
    }
}

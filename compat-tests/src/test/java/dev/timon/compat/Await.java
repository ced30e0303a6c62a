package dev.timon.compat;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Bounded polling for what controllers reach eventually, so a test fails with a message instead of hanging. */
final class Await {

    static final Duration DEFAULT = Duration.ofSeconds(60);

    private Await() {
    }

    static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT, condition);
    }

    static void until(String what, Duration bound, BooleanSupplier condition) {
        until(what, bound, condition, () -> "");
    }

    /** Polls {@code condition}; on timeout fails with {@code what} and the {@code state} seen last. */
    static void until(String what, Duration bound, BooleanSupplier condition, Supplier<String> state) {
        until(what, bound, () -> condition.getAsBoolean() ? null : state.get(), Objects::isNull);
    }

    /** Polls {@code state} until {@code done} holds for it, at most {@code limit}; returns that state. */
    static <T> T until(String what, Duration limit, Supplier<T> state, Predicate<T> done) {
        long deadline = System.nanoTime() + limit.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = state.get();
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return fail("not reached within " + limit + ": " + what + "; last seen: " + last);
    }
}

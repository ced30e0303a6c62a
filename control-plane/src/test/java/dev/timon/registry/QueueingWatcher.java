package dev.timon.registry;

import dev.timon.storage.CacheEvent;
import dev.timon.storage.CacheWatcher;

import java.util.concurrent.LinkedBlockingQueue;

/** A cache watcher that queues every event it receives, for a test to take them in order. */
final class QueueingWatcher implements CacheWatcher {

    final LinkedBlockingQueue<CacheEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void onEvent(CacheEvent event) {
        events.add(event);
    }

    @Override
    public void onTerminated(String reason) {
    }
}

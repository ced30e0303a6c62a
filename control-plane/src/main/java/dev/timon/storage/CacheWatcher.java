package dev.timon.storage;

/** Receives the events of one resource in revision order. Called on the dispatch thread: must not block. */
public interface CacheWatcher {

    void onEvent(CacheEvent event);

    /** The cache dropped this watcher (it fell behind, or the cache re-listed): the client must re-watch. */
    void onTerminated(String reason);
}

package dev.timon.storage;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.maintenance.AlarmMember;
import io.etcd.jetcd.maintenance.AlarmType;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The only door to etcd. Every write is one transaction guarded by preconditions on mod revisions, so
 * optimistic concurrency and "create only if absent" come from etcd itself, and every revision it returns
 * is the resourceVersion clients see.
 */
public final class EtcdStore implements AutoCloseable {

    private final Client client;
    private final KV kv;
    private final List<String> endpoints;

    private EtcdStore(Client client, List<String> endpoints) {
        this.client = client;
        this.kv = client.getKVClient();
        this.endpoints = endpoints;
    }

    /** Large enough for a page of big objects; lists larger than a page are read page by page. */
    private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
    /** Keys per range request when a whole prefix is read: etcd answers one range in one gRPC message. */
    private static final int PAGE_KEYS = 1_000;
    /** The lease ID of keys that do not expire (etcd's "no lease"). */
    public static final long NO_LEASE = 0;

    public static EtcdStore connect(String endpoints) {
        String[] each = endpoints.split(",");
        return new EtcdStore(Client.builder().endpoints(each).maxInboundMessageSize(MAX_MESSAGE_BYTES).build(), List.of(each));
    }

    public CompletableFuture<Optional<StoredValue>> get(String key) {
        return kv.get(bytes(key)).thenApply(r -> r.getKvs().stream().findFirst().map(EtcdStore::stored));
    }

    /**
     * Reads every key under {@code prefix} from {@code startKey} (inclusive, or the prefix itself when null) at one
     * revision ({@code revision}, or the newest when 0), a page of keys per request.
     */
    public CompletableFuture<ListPage> listAll(String prefix, String startKey, long revision) {
        return list(prefix, startKey, revision, PAGE_KEYS).thenCompose(first -> {
            if (!first.more()) {
                return CompletableFuture.completedFuture(first);
            }
            List<StoredValue> items = new ArrayList<>(first.items());
            String next = first.items().get(first.items().size() - 1).key() + "\0";
            return listAll(prefix, next, first.revision()).thenApply(rest -> {
                items.addAll(rest.items());
                return new ListPage(items, first.revision(), false);
            });
        });
    }

    /**
     * Reads keys under {@code prefix} from {@code startKey} (inclusive, or the prefix itself when null),
     * at {@code revision} (0 = the newest), at most {@code limit} of them (0 = all).
     */
    public CompletableFuture<ListPage> list(String prefix, String startKey, long revision, int limit) {
        ByteSequence start = bytes(startKey == null ? prefix : startKey);
        GetOption.Builder option = GetOption.builder()
                .withRange(bytes(prefixEnd(prefix)))
                .withRevision(revision)
                .withSortField(GetOption.SortTarget.KEY)
                .withSortOrder(GetOption.SortOrder.ASCEND);
        if (limit > 0) {
            option.withLimit(limit);
        }
        return kv.get(start, option.build()).thenApply(r -> {
            List<StoredValue> items = new ArrayList<>(r.getKvs().size());
            r.getKvs().forEach(kv -> items.add(stored(kv)));
            return new ListPage(items, r.getHeader().getRevision(), r.isMore());
        });
    }

    /** The store's newest revision: what a consistent read must have seen. */
    public CompletableFuture<Long> currentRevision() {
        return kv.get(bytes("/timon/revision-probe"), GetOption.builder().withCountOnly(true).build())
                .thenApply(r -> r.getHeader().getRevision());
    }

    /**
     * Writes {@code puts} and removes {@code deletes} in one transaction when every precondition holds.
     * Returns the revision of the write, or empty when a precondition failed and nothing was written.
     */
    public CompletableFuture<OptionalLong> commit(List<Precondition> preconditions, Map<String, byte[]> puts,
                                                  List<String> deletes) {
        return commit(preconditions, puts, deletes, NO_LEASE);
    }

    /** As {@link #commit(List, Map, List)}, the keys put attached to the lease {@code leaseId} (they expire with it). */
    public CompletableFuture<OptionalLong> commit(List<Precondition> preconditions, Map<String, byte[]> puts,
                                                  List<String> deletes, long leaseId) {
        PutOption put = leaseId == NO_LEASE ? PutOption.DEFAULT : PutOption.builder().withLeaseId(leaseId).build();
        Cmp[] cmps = preconditions.stream().map(p -> p.modRevision() == 0
                ? new Cmp(bytes(p.key()), Cmp.Op.EQUAL, CmpTarget.createRevision(0))
                : new Cmp(bytes(p.key()), Cmp.Op.EQUAL, CmpTarget.modRevision(p.modRevision()))).toArray(Cmp[]::new);
        List<Op> ops = new ArrayList<>();
        puts.forEach((k, v) -> ops.add(Op.put(bytes(k), ByteSequence.from(v), put)));
        deletes.forEach(k -> ops.add(Op.delete(bytes(k), DeleteOption.DEFAULT)));
        return kv.txn().If(cmps).Then(ops.toArray(Op[]::new)).commit()
                .thenApply(r -> r.isSucceeded() ? OptionalLong.of(r.getHeader().getRevision()) : OptionalLong.empty());
    }

    /** Grants a lease of {@code ttlSeconds}: keys attached to it are deleted when it expires. Yields its ID. */
    public CompletableFuture<Long> grantLease(long ttlSeconds) {
        return client.getLeaseClient().grant(ttlSeconds).thenApply(r -> r.getID());
    }

    /** Streams every change under {@code prefix} after {@code fromRevision}, with each key's previous value. */
    public Watch.Watcher watchPrefix(String prefix, long fromRevision, Consumer<WatchResponse> onResponse,
                                     Consumer<Throwable> onError) {
        WatchOption option = WatchOption.builder()
                .isPrefix(true)
                .withRevision(fromRevision)
                .withPrevKV(true)
                .withProgressNotify(true)
                .build();
        return client.getWatchClient().watch(bytes(prefix), option, onResponse, onError);
    }

    public CompletableFuture<Void> compact(long revision) {
        return kv.compact(revision).thenApply(r -> null);
    }

    /**
     * Defragments, one member after the other, each member whose database file is over {@code minBytes} and more than
     * twice what it holds: compaction frees pages inside the file but never shrinks it, and etcd refuses writes
     * once the file reaches its quota. A member answers nothing while it defragments. Yields the members done.
     */
    public CompletableFuture<List<String>> defragmentSparse(long minBytes) {
        var maintenance = client.getMaintenanceClient();
        List<String> defragmented = new ArrayList<>(); // filled by one step after the other
        return oneAfterAnother(endpoints, endpoint -> maintenance.statusMember(endpoint).thenCompose(status ->
                status.getDbSize() > minBytes && status.getDbSize() > 2 * status.getDbSizeInUse()
                        ? maintenance.defragmentMember(endpoint).thenRun(() -> defragmented.add(endpoint))
                        : CompletableFuture.completedFuture(null)))
                .thenApply(v -> List.copyOf(defragmented));
    }

    /**
     * Brings etcd back from a NOSPACE alarm, as its operators' guide does: defragments every member (compaction
     * has freed the space, but only inside the file) and clears the alarm, which otherwise refuses every write
     * however much space is free. If space is still short, etcd raises it again at the next write. Yields how many
     * alarms were cleared; with none raised, does nothing.
     */
    public CompletableFuture<Integer> recoverFromSpaceAlarm() {
        var maintenance = client.getMaintenanceClient();
        return maintenance.listAlarms().thenCompose(response -> {
            List<AlarmMember> space = response.getAlarms().stream()
                    .filter(alarm -> alarm.getAlarmType() == AlarmType.NOSPACE).toList();
            if (space.isEmpty()) {
                return CompletableFuture.completedFuture(0);
            }
            return oneAfterAnother(endpoints, maintenance::defragmentMember)
                    .thenCompose(v -> oneAfterAnother(space, maintenance::alarmDisarm))
                    .thenApply(v -> space.size());
        });
    }

    /** Runs {@code step} on each item in turn, each once the one before has completed. */
    private static <T> CompletableFuture<Void> oneAfterAnother(List<T> items,
                                                               Function<T, ? extends CompletableFuture<?>> step) {
        CompletableFuture<Void> steps = CompletableFuture.completedFuture(null);
        for (T item : items) {
            steps = steps.thenCompose(v -> step.apply(item).thenAccept(done -> { }));
        }
        return steps;
    }

    /** The database file's size on each member. */
    public CompletableFuture<List<Long>> databaseSizes() {
        var maintenance = client.getMaintenanceClient();
        var sizes = endpoints.stream().map(e -> maintenance.statusMember(e).thenApply(s -> s.getDbSize())).toList();
        return CompletableFuture.allOf(sizes.toArray(CompletableFuture[]::new))
                .thenApply(v -> sizes.stream().map(CompletableFuture::join).toList());
    }

    @Override
    public void close() {
        client.close();
    }

    static StoredValue stored(KeyValue kv) {
        return new StoredValue(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().getBytes(), kv.getModRevision());
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** The smallest key greater than every key with this prefix (etcd's range end for a prefix scan). */
    static String prefixEnd(String prefix) {
        char last = prefix.charAt(prefix.length() - 1);
        return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
    }
}

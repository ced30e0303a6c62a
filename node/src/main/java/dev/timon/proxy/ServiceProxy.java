package dev.timon.proxy;

import dev.timon.client.Informers;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One node's service proxy: watches Services and EndpointSlices and keeps its nftables table equal to what they
 * ask for, replacing the whole table on every sync. Syncs run on their own thread, never on an informer's.
 */
public final class ServiceProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);
    private static final Path ROUTE_LOCALNET = Path.of("/proc/sys/net/ipv4/conf/all/route_localnet");

    private final ProxyConfig config;
    private final Informers informers;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final CoalescedSyncs syncs;

    private ServiceProxy(ProxyConfig config, KubernetesClient client) {
        this.config = config;
        this.informers = new Informers(client);
        this.services = informers.forType(Service.class);
        this.slices = informers.forType(EndpointSlice.class);
        this.syncs = new CoalescedSyncs("proxy-sync", this::sync, config.minSyncInterval(), config.syncPeriod());
    }

    public static ServiceProxy start(KubernetesClient client, ProxyConfig config) throws Exception {
        enableRouteLocalnet();
        ServiceProxy proxy = new ServiceProxy(config, client);
        proxy.services.addEventHandler(proxy.onAnyChange());
        proxy.slices.addEventHandler(proxy.onAnyChange());
        proxy.informers.startAndSync(60);
        proxy.syncs.request();
        return proxy;
    }

    /** Node ports on 127.0.0.1 need the kernel to route loopback-addressed packets to other interfaces. */
    private static void enableRouteLocalnet() throws IOException {
        if (!"1".equals(Files.readString(ROUTE_LOCALNET).trim())) {
            Files.writeString(ROUTE_LOCALNET, "1");
        }
    }

    private void sync() {
        long start = System.nanoTime();
        List<ServicePortPlan> plans = ServicePlanner.planAll(services.getStore().list(), slices.getStore().list(), config.nodeName());
        String script = NftRuleset.render(config.table(), config.serviceCidr(), config.nodeIp(), config.natPriority(), plans);
        long rendered = System.nanoTime();
        try {
            Nft.apply(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        LOG.info("synced {} service ports into table ip {} in {} ms (render {} ms)", plans.size(), config.table(),
                (System.nanoTime() - start) / 1_000_000, (rendered - start) / 1_000_000);
    }

    private <T> ResourceEventHandler<T> onAnyChange() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                syncs.request();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                syncs.request();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                syncs.request();
            }
        };
    }

    /** Stops watching and removes the table, so a stopped proxy leaves no rules behind. */
    @Override
    public void close() throws Exception {
        syncs.close();
        informers.close();
        Nft.apply(NftRuleset.removal(config.table()));
        LOG.info("removed table ip {}", config.table());
    }
}

package dev.timon.kubelet.pods;

import dev.timon.dns.ClusterDnsConfig;
import dev.timon.cri.CriClient;
import dev.timon.kubelet.api.ApiRequests;
import dev.timon.kubelet.env.ConfigSources;
import dev.timon.kubelet.env.EnvResolver;
import dev.timon.kubelet.env.ServiceLister;
import dev.timon.kubelet.images.ImagePuller;
import dev.timon.kubelet.node.PodCgroups;
import dev.timon.kubelet.node.MachineInfo;
import dev.timon.kubelet.node.NodeStatusReporter;
import dev.timon.kubelet.probes.Handlers;
import dev.timon.kubelet.probes.ProbeManager;
import dev.timon.kubelet.status.EventRecorder;
import dev.timon.kubelet.status.PodStatusGenerator;
import dev.timon.kubelet.status.StatusWriter;
import dev.timon.kubelet.volumes.VolumeManager;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/** The pod side of the agent, wired: workers to feed with pod events, and the event recorder to close. */
public record PodAgent(PodWorkers workers, EventRecorder events) {

    public static PodAgent create(CriClient cri, KubernetesClient client, ApiRequests api, String nodeName, String nodeIp,
                                  Path podsDir, Path podLogsRoot, PodCgroups cgroups, ExecutorService podThreads,
                                  ScheduledExecutorService timer, ScheduledExecutorService probeThreads,
                                  ExecutorService killThreads, ServiceLister services) {
        var events = new EventRecorder(client, nodeName);
        var workers = new PodWorkers(podThreads, timer);
        var handlers = new Handlers(cri);
        var probes = new ProbeManager(handlers, probeThreads, events, workers::wake);
        var sources = new ConfigSources(client);
        var volumes = new VolumeManager(podsDir, sources);
        var images = new ImagePuller(cri, events);
        var killer = new ContainerKiller(cri, handlers, events, killThreads);
        var starter = new ContainerStarter(cri, images, volumes, new EnvResolver(sources, services),
                new ContainerConfigs(MachineInfo.meminfo("MemTotal")), handlers, killer, events, workers, nodeIp,
                NodeStatusReporter.allocatable());
        var sandboxes = new SandboxConfigs(podLogsRoot, PodDns.read(ClusterDnsConfig.HOST_RESOLV_CONF), cgroups);
        workers.setSync(new PodSyncer(cri, api, sandboxes, starter, killer, probes, new PodStatusGenerator(probes),
                new StatusWriter(api), volumes, images, cgroups, events, workers, nodeIp));
        return new PodAgent(workers, events);
    }
}

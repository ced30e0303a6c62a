package dev.timon.cri;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import runtime.v1.Api.AttachRequest;
import runtime.v1.Api.Container;
import runtime.v1.Api.ContainerConfig;
import runtime.v1.Api.ContainerFilter;
import runtime.v1.Api.ContainerStatusRequest;
import runtime.v1.Api.ContainerStatusResponse;
import runtime.v1.Api.CreateContainerRequest;
import runtime.v1.Api.ExecRequest;
import runtime.v1.Api.ExecSyncRequest;
import runtime.v1.Api.ExecSyncResponse;
import runtime.v1.Api.Image;
import runtime.v1.Api.ImageFilter;
import runtime.v1.Api.ImageFsInfoRequest;
import runtime.v1.Api.ImageFsInfoResponse;
import runtime.v1.Api.ImageSpec;
import runtime.v1.Api.ImageStatusRequest;
import runtime.v1.Api.ImageStatusResponse;
import runtime.v1.Api.LinuxContainerResources;
import runtime.v1.Api.ListContainersRequest;
import runtime.v1.Api.ListImagesRequest;
import runtime.v1.Api.ListPodSandboxRequest;
import runtime.v1.Api.PodSandbox;
import runtime.v1.Api.PodSandboxConfig;
import runtime.v1.Api.PodSandboxFilter;
import runtime.v1.Api.PodSandboxStatusRequest;
import runtime.v1.Api.PodSandboxStatusResponse;
import runtime.v1.Api.PortForwardRequest;
import runtime.v1.Api.PullImageRequest;
import runtime.v1.Api.RemoveContainerRequest;
import runtime.v1.Api.RemoveImageRequest;
import runtime.v1.Api.RemovePodSandboxRequest;
import runtime.v1.Api.ReopenContainerLogRequest;
import runtime.v1.Api.RunPodSandboxRequest;
import runtime.v1.Api.StartContainerRequest;
import runtime.v1.Api.StatusRequest;
import runtime.v1.Api.StatusResponse;
import runtime.v1.Api.StopContainerRequest;
import runtime.v1.Api.StopPodSandboxRequest;
import runtime.v1.Api.UpdateContainerResourcesRequest;
import runtime.v1.Api.VersionRequest;
import runtime.v1.Api.VersionResponse;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageServiceGrpc.ImageServiceFutureStub;
import runtime.v1.RuntimeServiceGrpc;
import runtime.v1.RuntimeServiceGrpc.RuntimeServiceFutureStub;

/**
 * A typed, non-blocking facade over a CRI runtime (containerd) listening on a unix socket.
 *
 * <p>Every call returns a {@link CompletableFuture} completed on a gRPC executor thread, never by
 * blocking the caller, so it is safe to call from an event loop. Messages are the generated
 * {@code runtime.v1.Api} types. Each call carries a deadline: the client's default, or another one
 * through {@link #withDeadline(Duration)} (image pulls usually want a longer one).
 */
public final class CriClient implements AutoCloseable {

    /** The CRI API version the kubelet announces in Version. */
    public static final String API_VERSION = "v1";
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);
    /** Same cap as the kubelet: ExecSync output and long lists can be large. */
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 1024;

    private final Connection connection;
    private final Duration deadline;

    private CriClient(Connection connection, Duration deadline) {
        this.connection = connection;
        this.deadline = deadline;
    }

    /** Connects (lazily, on the first call) to the runtime socket with the default deadline. */
    public static CriClient connect(Path socket) {
        return connect(socket, DEFAULT_DEADLINE);
    }

    public static CriClient connect(Path socket, Duration deadline) {
        return new CriClient(new Connection(socket), deadline);
    }

    /**
     * A view of this client whose calls use another deadline. It shares the connection; closing the
     * view is a no-op, only the client made by {@code connect} owns the connection.
     */
    public CriClient withDeadline(Duration deadline) {
        return new CriClient(connection.shared(), deadline);
    }

    public Duration deadline() {
        return deadline;
    }

    public Path socket() {
        return connection.socket;
    }

    // ---- runtime ----

    public CompletableFuture<VersionResponse> version() {
        return call(runtime().version(VersionRequest.newBuilder().setVersion(API_VERSION).build()));
    }

    /** Runtime conditions (RuntimeReady, NetworkReady). */
    public CompletableFuture<StatusResponse> status() {
        return call(runtime().status(StatusRequest.getDefaultInstance()));
    }

    /** Runtime conditions plus the runtime's own details: containerd puts its CRI settings as JSON under "config". */
    public CompletableFuture<StatusResponse> verboseStatus() {
        return call(runtime().status(StatusRequest.newBuilder().setVerbose(true).build()));
    }

    /** Starts a sandbox; an empty {@code runtimeHandler} selects the default runtime. Yields its id. */
    public CompletableFuture<String> runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
        var request = RunPodSandboxRequest.newBuilder().setConfig(config).setRuntimeHandler(runtimeHandler).build();
        return call(runtime().runPodSandbox(request), r -> r.getPodSandboxId());
    }

    public CompletableFuture<Void> stopPodSandbox(String podSandboxId) {
        return done(runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(podSandboxId).build()));
    }

    public CompletableFuture<Void> removePodSandbox(String podSandboxId) {
        return done(runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(podSandboxId).build()));
    }

    public CompletableFuture<PodSandboxStatusResponse> podSandboxStatus(String podSandboxId) {
        return call(runtime().podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(podSandboxId).build()));
    }

    /** Sandboxes matching the filter; pass {@code PodSandboxFilter.getDefaultInstance()} for all. */
    public CompletableFuture<List<PodSandbox>> listPodSandboxes(PodSandboxFilter filter) {
        return call(runtime().listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(filter).build()),
                r -> r.getItemsList());
    }

    /**
     * Creates a container in a sandbox; the sandbox config must be the one the sandbox was started
     * with. The image must already be pulled: CreateContainer does not pull. Yields the container id.
     */
    public CompletableFuture<String> createContainer(String podSandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        var request = CreateContainerRequest.newBuilder()
                .setPodSandboxId(podSandboxId).setConfig(config).setSandboxConfig(sandboxConfig).build();
        return call(runtime().createContainer(request), r -> r.getContainerId());
    }

    public CompletableFuture<Void> startContainer(String containerId) {
        return done(runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(containerId).build()));
    }

    /**
     * Stops a container, killing it after {@code timeoutSeconds}. The call lasts up to that grace
     * period, so its deadline is extended by it.
     */
    public CompletableFuture<Void> stopContainer(String containerId, long timeoutSeconds) {
        var request = StopContainerRequest.newBuilder().setContainerId(containerId).setTimeout(timeoutSeconds).build();
        return done(runtime(deadline.plusSeconds(timeoutSeconds)).stopContainer(request));
    }

    public CompletableFuture<Void> removeContainer(String containerId) {
        return done(runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(containerId).build()));
    }

    /** Containers matching the filter; pass {@code ContainerFilter.getDefaultInstance()} for all. */
    public CompletableFuture<List<Container>> listContainers(ContainerFilter filter) {
        return call(runtime().listContainers(ListContainersRequest.newBuilder().setFilter(filter).build()),
                r -> r.getContainersList());
    }

    public CompletableFuture<ContainerStatusResponse> containerStatus(String containerId) {
        return call(runtime().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(containerId).build()));
    }

    public CompletableFuture<Void> updateContainerResources(String containerId, LinuxContainerResources resources) {
        var request = UpdateContainerResourcesRequest.newBuilder().setContainerId(containerId).setLinux(resources).build();
        return done(runtime().updateContainerResources(request));
    }

    public CompletableFuture<Void> reopenContainerLog(String containerId) {
        return done(runtime().reopenContainerLog(ReopenContainerLogRequest.newBuilder().setContainerId(containerId).build()));
    }

    /**
     * Runs a command to completion and yields its output and exit code; {@code timeout} bounds the
     * command (zero: no bound) and the call's deadline is extended by it.
     */
    public CompletableFuture<ExecSyncResponse> execSync(String containerId, List<String> cmd, Duration timeout) {
        var request = ExecSyncRequest.newBuilder()
                .setContainerId(containerId).addAllCmd(cmd).setTimeout(timeout.toSeconds()).build();
        return call(runtime(deadline.plus(timeout)).execSync(request));
    }

    /** Yields the URL of the runtime's streaming server for this exec session. */
    public CompletableFuture<String> exec(ExecRequest request) {
        return call(runtime().exec(request), r -> r.getUrl());
    }

    /** Yields the URL of the runtime's streaming server for this attach session. */
    public CompletableFuture<String> attach(AttachRequest request) {
        return call(runtime().attach(request), r -> r.getUrl());
    }

    /** Yields the URL of the runtime's streaming server forwarding to the sandbox's ports. */
    public CompletableFuture<String> portForward(String podSandboxId, List<Integer> ports) {
        var request = PortForwardRequest.newBuilder().setPodSandboxId(podSandboxId).addAllPort(ports).build();
        return call(runtime().portForward(request), r -> r.getUrl());
    }

    // ---- images ----

    /** Pulls an image and yields its reference (image id) on this node. */
    public CompletableFuture<String> pullImage(ImageSpec image) {
        return call(images().pullImage(PullImageRequest.newBuilder().setImage(image).build()), r -> r.getImageRef());
    }

    /** The image as the runtime knows it; {@code hasImage()} is false when it is absent. */
    public CompletableFuture<ImageStatusResponse> imageStatus(ImageSpec image) {
        return call(images().imageStatus(ImageStatusRequest.newBuilder().setImage(image).build()));
    }

    public CompletableFuture<List<Image>> listImages(ImageFilter filter) {
        return call(images().listImages(ListImagesRequest.newBuilder().setFilter(filter).build()), r -> r.getImagesList());
    }

    public CompletableFuture<Void> removeImage(ImageSpec image) {
        return done(images().removeImage(RemoveImageRequest.newBuilder().setImage(image).build()));
    }

    public CompletableFuture<ImageFsInfoResponse> imageFsInfo() {
        return call(images().imageFsInfo(ImageFsInfoRequest.getDefaultInstance()));
    }

    /** Shorthand for an {@link ImageSpec} naming an image reference. */
    public static ImageSpec image(String reference) {
        return ImageSpec.newBuilder().setImage(reference).build();
    }

    /** Closes the connection (a no-op on views made by {@link #withDeadline}). May wait up to a few seconds. */
    @Override
    public void close() {
        connection.close();
    }

    // ---- plumbing ----

    private RuntimeServiceFutureStub runtime() {
        return runtime(deadline);
    }

    private RuntimeServiceFutureStub runtime(Duration callDeadline) {
        return connection.runtime.withDeadlineAfter(callDeadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    private ImageServiceFutureStub images() {
        return connection.images.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static <T> CompletableFuture<T> call(ListenableFuture<T> response) {
        return call(response, Function.identity());
    }

    private static <T> CompletableFuture<Void> done(ListenableFuture<T> response) {
        return call(response, r -> null);
    }

    /**
     * Bridges a gRPC future to a CompletableFuture. Failures surface as the gRPC
     * {@code StatusRuntimeException} itself (unwrapped), so callers can test its status code;
     * cancelling the returned future cancels the call.
     */
    private static <T, R> CompletableFuture<R> call(ListenableFuture<T> response, Function<T, R> mapping) {
        var result = new CompletableFuture<R>();
        response.addListener(() -> {
            try {
                result.complete(mapping.apply(response.get()));
            } catch (ExecutionException e) {
                result.completeExceptionally(e.getCause());
            } catch (Throwable e) {
                // Cancellation, or an interrupt, which cannot happen here: the future is already done.
                result.completeExceptionally(e);
            }
        }, MoreExecutors.directExecutor());
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                response.cancel(true);
            }
        });
        return result;
    }

    /** The channel and its event loop, owned by the client made by {@code connect}. */
    private static final class Connection {
        private final Path socket;
        private final EventLoopGroup eventLoops;
        private final ManagedChannel channel;
        private final RuntimeServiceFutureStub runtime;
        private final ImageServiceFutureStub images;
        private final boolean owner;

        Connection(Path socket) {
            this.socket = socket;
            // One epoll thread is plenty for a local socket; it is daemon so a forgotten close cannot hang the JVM.
            this.eventLoops = new MultiThreadIoEventLoopGroup(1, runnable -> {
                var thread = new Thread(runnable, "cri-epoll-" + socket.getFileName());
                thread.setDaemon(true);
                return thread;
            }, EpollIoHandler.newFactory());
            this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                    .eventLoopGroup(eventLoops)
                    .channelType(EpollDomainSocketChannel.class)
                    .usePlaintext()
                    // A socket path is no valid HTTP/2 authority.
                    .overrideAuthority("localhost")
                    .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                    // gRPC asks every channel for TCP keep-alive; a null value withdraws it, which a unix
                    // socket has no use for (Netty would warn about the unknown option on each connect).
                    .withOption(ChannelOption.SO_KEEPALIVE, null)
                    .build();
            this.runtime = RuntimeServiceGrpc.newFutureStub(channel);
            this.images = ImageServiceGrpc.newFutureStub(channel);
            this.owner = true;
        }

        private Connection(Connection shared) {
            this.socket = shared.socket;
            this.eventLoops = shared.eventLoops;
            this.channel = shared.channel;
            this.runtime = shared.runtime;
            this.images = shared.images;
            this.owner = false;
        }

        Connection shared() {
            return new Connection(this);
        }

        void close() {
            if (!owner) {
                return;
            }
            channel.shutdown();
            try {
                if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                    channel.shutdownNow();
                }
            } catch (InterruptedException e) {
                channel.shutdownNow();
                Thread.currentThread().interrupt();
            } finally {
                eventLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            }
        }
    }
}

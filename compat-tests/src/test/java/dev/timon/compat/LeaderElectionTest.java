package dev.timon.compat;

import dev.timon.controllers.Controller;
import dev.timon.controllers.ControllerContext;
import dev.timon.controllers.ControllerManager;
import dev.timon.controllers.serviceaccount.ServiceAccountController;
import dev.timon.scheduler.SchedulerService;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Two copies of a component campaign for one Lease in kube-system: the standby takes over within 15 s of the
 * leader stopping, and a leader that loses its Lease campaigns again. The copies use their own Lease names so
 * the cluster's own scheduler and controller manager keep running; the controller managers run only the
 * (idempotent) ServiceAccount controller.
 */
class LeaderElectionTest {

    private static final Duration TAKEOVER = Duration.ofSeconds(15);
    private static KubernetesClient client;
    private static Path kubeconfig;

    @BeforeAll
    static void connect() throws Exception {
        client = TestCluster.get().newClient();
        kubeconfig = TestCluster.get().kubeconfig();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    /** A component under leader election, as the test sees it. */
    private interface Candidate extends AutoCloseable {
        String identity();

        @Override
        void close();
    }

    private static Candidate controllerManager(String lease) throws Exception {
        ControllerManager manager = ControllerManager.start(kubeconfig, lease,
                Map.of("serviceaccount", ServiceAccountController::new));
        return new Candidate() {
            public String identity() {
                return manager.identity();
            }

            public void close() {
                manager.close();
            }
        };
    }

    private static Candidate scheduler(String lease) throws Exception {
        SchedulerService scheduler = SchedulerService.start(kubeconfig, lease);
        return new Candidate() {
            public String identity() {
                return scheduler.identity();
            }

            public void close() {
                scheduler.close();
            }
        };
    }

    private interface Starter {
        Candidate start(String lease) throws Exception;
    }

    private static String holder(String lease) {
        Lease l = client.leases().inNamespace("kube-system").withName(lease).get();
        return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
    }

    private static void standbyTakesOver(Starter starter, String lease) throws Exception {
        try (Candidate first = starter.start(lease); Candidate second = starter.start(lease)) {
            Await.until("one copy holds " + lease, () -> first.identity().equals(holder(lease))
                    || second.identity().equals(holder(lease)));
            Candidate leader = first.identity().equals(holder(lease)) ? first : second;
            Candidate standby = leader == first ? second : first;
            leader.close();
            Await.until("the standby takes " + lease + " over", TAKEOVER,
                    () -> standby.identity().equals(holder(lease)), () -> "holder: " + holder(lease));
        }
    }

    @Test
    void standbyControllerManagerTakesOver() throws Exception {
        standbyTakesOver(LeaderElectionTest::controllerManager, "test-controller-manager");
    }

    @Test
    void standbySchedulerTakesOver() throws Exception {
        standbyTakesOver(LeaderElectionTest::scheduler, "test-scheduler");
    }

    /** Another identity grabs the Lease; once that holder stops renewing, the old leader wins it back. */
    @Test
    void leaderThatLosesItsLeaseCampaignsAgain() throws Exception {
        String lease = "test-recampaign";
        try (Candidate manager = controllerManager(lease)) {
            Await.until("the manager holds " + lease, () -> manager.identity().equals(holder(lease)));
            client.leases().inNamespace("kube-system").withName(lease).edit(l -> {
                l.getSpec().setHolderIdentity("intruder");
                l.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
                return l;
            });
            Await.until("the intruder holds " + lease, () -> "intruder".equals(holder(lease)));
            Await.until("the manager wins " + lease + " back", Await.DEFAULT,
                    () -> Objects.equals(manager.identity(), holder(lease)), () -> "holder: " + holder(lease));
            assertNotEquals("intruder", holder(lease));
        }
    }

    /**
     * A leader whose start fails (here its first: building a controller throws, as an informer sync that times out
     * does) gives the Lease up and starts again, rather than holding the Lease with nothing running.
     */
    @Test
    void leaderWhoseStartFailsStartsAgain() throws Exception {
        String lease = "test-failed-start";
        AtomicInteger builds = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        Function<ControllerContext, Controller> failingOnce = context -> {
            if (builds.incrementAndGet() == 1) {
                throw new IllegalStateException("the first start fails");
            }
            return new Controller("started-again", 1) {
                @Override
                protected void reconcile(String key) {
                }

                @Override
                public void start() {
                    super.start();
                    running.countDown();
                }
            };
        };
        try (ControllerManager manager = ControllerManager.start(kubeconfig, lease, Map.of("failing-once", failingOnce))) {
            Await.until("the controllers run after the failed start", TAKEOVER, () -> running.getCount() == 0,
                    () -> builds.get() + " builds, holder: " + holder(lease));
            assertEquals(2, builds.get());
            Await.until("the manager holds " + lease, () -> manager.identity().equals(holder(lease)));
        }
    }
}

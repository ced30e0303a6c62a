package dev.timon.compat;

import dev.timon.controllers.PodConditions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Job and CronJob controllers on hollow nodes, driven and read with the real kubectl. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchWorkloadsTest extends OnHollowNodes {

    BatchWorkloadsTest() {
        super("b-batch-", 2, "b-batch");
    }

    @BeforeAll
    void createCronJob() {
        // Created first so its minute boundary passes while the Job tests run; checked by the last test.
        kubectl.ok("create", "namespace", "b-cron");
        kubectl.apply("b-cron", """
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: tick}
                spec:
                  schedule: "*/1 * * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          nodeSelector: {pool: b-batch}
                          restartPolicy: Never
                          containers: [{name: main, image: busybox:1.36}]
                """);
    }

    private static String job(String name, String extraSpec) {
        return """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: %s}
                spec:
                %s
                  template:
                    spec:
                      nodeSelector: {pool: b-batch}
                      restartPolicy: Never
                      containers: [{name: main, image: busybox:1.36}]
                """.formatted(name, extraSpec);
    }

    @Test
    @Order(1)
    void jobCompletesWithNeverMoreThanParallelismActive() throws Exception {
        kubectl.ok("create", "namespace", "b-job");
        Set<String> activeNow = ConcurrentHashMap.newKeySet();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> violations = new ArrayList<>();
        try (Watch ignored = client.pods().inNamespace("b-job").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                String name = pod.getMetadata().getName();
                seen.add(name);
                if (action != Action.DELETED && PodConditions.isActive(pod)) {
                    activeNow.add(name);
                } else {
                    activeNow.remove(name);
                }
                if (activeNow.size() > 2) {
                    synchronized (violations) {
                        violations.add(action + " " + name + ": active " + activeNow);
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            kubectl.apply("b-job", job("x", "  completions: 3\n  parallelism: 2"));
            Kubectl.Result wait = kubectl.ok("wait", "-n", "b-job", "--for=condition=complete", "job/x", "--timeout=50s");
            assertEquals("job.batch/x condition met\n", wait.out());
        }
        assertEquals(List.of(), violations, "more than parallelism=2 pods were active at once");
        assertEquals(3, seen.size(), "one pod per completion, none extra: " + seen);
        assertEquals("3", kubectl.ok("get", "job", "x", "-n", "b-job", "-o", "jsonpath={.status.succeeded}").out());
        assertEquals("True", kubectl.ok("get", "job", "x", "-n", "b-job", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Complete\")].status}").out());
        String table = kubectl.ok("get", "job", "x", "-n", "b-job").out();
        assertTrue(table.lines().anyMatch(l -> l.matches("x\\s+Complete\\s+3/3\\s+.*")), table);
    }

    /**
     * Hollow nodes only ever succeed pods (2 s after Running), so the test fails each one through the status
     * subresource, as a kubelet, at once with the client: a kubectl process started per pod could come too late.
     */
    @Test
    @Order(2)
    void failingPodsExhaustTheBackoffLimit() throws Exception {
        kubectl.ok("create", "namespace", "b-jobfail");
        Set<String> failed = ConcurrentHashMap.newKeySet();
        ExecutorService kubelet = Executors.newSingleThreadExecutor();
        try (Watch ignored = client.pods().inNamespace("b-jobfail").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                String name = pod.getMetadata().getName();
                if (action != Action.DELETED && PodConditions.isActive(pod) && failed.add(name)) {
                    kubelet.execute(() -> client.pods().inNamespace("b-jobfail").withName(name).status().patch(
                            PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Failed\",\"reason\":\"Error\"}}"));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            kubectl.apply("b-jobfail", job("f", "  backoffLimit: 1"));
            kubectl.ok("wait", "-n", "b-jobfail", "--for=condition=failed", "job/f", "--timeout=55s");
        } finally {
            kubelet.shutdown();
        }
        assertEquals("BackoffLimitExceeded", kubectl.ok("get", "job", "f", "-n", "b-jobfail", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Failed\")].reason}").out());
        assertEquals("2", kubectl.ok("get", "job", "f", "-n", "b-jobfail", "-o", "jsonpath={.status.failed}").out(),
                "the first pod and one retry");
        assertEquals(2, failed.size(), "pods that ran: " + failed);
    }

    /** Slow by nature: the schedule fires on a minute boundary, so this waits up to ~75 s after the class starts. */
    @Test
    @Order(3)
    @Tag("slow")
    void cronJobFiresAJobNamedAfterItsScheduledMinute() {
        Job fired = Await.until("a job from cronjob/tick", Duration.ofSeconds(80),
                () -> client.batch().v1().jobs().inNamespace("b-cron").list().getItems(), jobs -> !jobs.isEmpty()).get(0);
        Matcher name = Pattern.compile("tick-(\\d+)").matcher(fired.getMetadata().getName());
        assertTrue(name.matches(), fired.getMetadata().getName());
        long scheduledMinute = Long.parseLong(name.group(1));
        String scheduled = fired.getMetadata().getAnnotations().get("batch.kubernetes.io/cronjob-scheduled-timestamp");
        assertEquals(java.time.Instant.ofEpochSecond(scheduledMinute * 60).toString(), scheduled,
                "upstream names the job after the scheduled time in minutes since the epoch");
        assertEquals("CronJob", fired.getMetadata().getOwnerReferences().get(0).getKind());
        kubectl.ok("wait", "-n", "b-cron", "--for=condition=complete", "job/" + fired.getMetadata().getName(), "--timeout=40s");
        String lastSchedule = Await.until("cronjob status.lastScheduleTime", Duration.ofSeconds(20),
                () -> kubectl.ok("get", "cronjob", "tick", "-n", "b-cron", "-o", "jsonpath={.status.lastScheduleTime}").out(),
                s -> !s.isEmpty());
        assertEquals(scheduled, lastSchedule);
    }
}

package dev.timon.controllers.endpoints;

import dev.timon.client.Informers;
import dev.timon.controllers.ObjectKeys;
import dev.timon.controllers.Selectors;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Which pods a service selects, and which services a pod change concerns: shared by both endpoint controllers. */
final class ServicePods {

    private ServicePods() {
    }

    static boolean hasSelector(Service service) {
        return service.getSpec().getSelector() != null && !service.getSpec().getSelector().isEmpty();
    }

    static List<Pod> selectedBy(Service service, Informers informers) {
        Map<String, String> selector = service.getSpec().getSelector();
        return informers.withLabels(Pod.class, service.getMetadata().getNamespace(), selector);
    }

    /** Calls {@code enqueue} with the key of every service selecting the pod before or after a change. */
    static ResourceEventHandler<Pod> servicesOfPod(Informers informers, Consumer<String> enqueue) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                enqueueServices(pod, null);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                enqueueServices(newPod, oldPod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {
                enqueueServices(pod, null);
            }

            private void enqueueServices(Pod pod, Pod old) {
                for (Service service : informers.byIndex(Service.class, Informers.BY_NAMESPACE, pod.getMetadata().getNamespace())) {
                    Map<String, String> selector = service.getSpec().getSelector();
                    if (hasSelector(service) && (Selectors.matchesAll(selector, pod.getMetadata().getLabels())
                            || old != null && Selectors.matchesAll(selector, old.getMetadata().getLabels()))) {
                        enqueue.accept(ObjectKeys.key(service));
                    }
                }
            }
        };
    }
}

package dev.timon.controllers;

import dev.timon.client.Informers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's ControllerRefManager: the objects an owner controls are those with its controller reference;
 * orphans matching its selector are adopted and controlled objects that no longer match are released.
 * Writes carry the cached resourceVersion, so acting on a stale cache fails with a conflict and is retried.
 */
public final class ControllerRefs {

    private ControllerRefs() {
    }

    public static <T extends HasMetadata> List<T> claim(ControllerContext context, HasMetadata owner,
                                                        LabelSelector selector, Class<T> type) {
        String ownerUid = owner.getMetadata().getUid();
        boolean ownerDeleting = ObjectKeys.isDeleting(owner);
        List<T> claimed = new ArrayList<>();
        for (T candidate : candidates(context.informers(), owner, selector, type)) {
            OwnerReference ref = ObjectKeys.controllerOf(candidate).orElse(null);
            boolean matches = Selectors.matches(selector, candidate.getMetadata().getLabels());
            boolean mutable = !ownerDeleting && !ObjectKeys.isDeleting(candidate);
            if (ref != null && ref.getUid().equals(ownerUid)) {
                if (matches) {
                    claimed.add(candidate);
                } else if (mutable) {
                    setOwnerReferences(context, candidate, without(candidate, ownerUid));
                }
            } else if (ref == null && matches && mutable) {
                List<OwnerReference> refs = without(candidate, ownerUid);
                refs.add(PodControl.controllerRef(owner));
                claimed.add(setOwnerReferences(context, candidate, refs));
            }
        }
        return claimed;
    }

    /**
     * What the owner may control: what it controls now (owner index) and what carries its selector's matchLabels
     * (label index), instead of every object in the namespace.
     */
    private static <T extends HasMetadata> Collection<T> candidates(Informers informers, HasMetadata owner,
                                                                   LabelSelector selector, Class<T> type) {
        Map<String, T> byUid = new LinkedHashMap<>();
        for (T owned : informers.byIndex(type, Informers.BY_OWNER, owner.getMetadata().getUid())) {
            byUid.put(owned.getMetadata().getUid(), owned);
        }
        Map<String, String> required = selector == null ? null : selector.getMatchLabels();
        for (T labelled : informers.withLabels(type, owner.getMetadata().getNamespace(), required)) {
            byUid.putIfAbsent(labelled.getMetadata().getUid(), labelled);
        }
        return byUid.values();
    }

    /** Pods whose controller reference points at {@code owner}, from the informers' owner index. */
    public static List<Pod> controlledBy(HasMetadata owner, Informers informers) {
        String uid = owner.getMetadata().getUid();
        return informers.byIndex(Pod.class, Informers.BY_OWNER, uid).stream()
                .filter(p -> ObjectKeys.controllerOf(p).map(r -> uid.equals(r.getUid())).orElse(false))
                .toList();
    }

    private static List<OwnerReference> without(HasMetadata object, String uid) {
        List<OwnerReference> refs = new ArrayList<>();
        if (object.getMetadata().getOwnerReferences() != null) {
            for (OwnerReference ref : object.getMetadata().getOwnerReferences()) {
                if (!ref.getUid().equals(uid)) {
                    refs.add(ref);
                }
            }
        }
        return refs;
    }

    private static <T extends HasMetadata> T setOwnerReferences(ControllerContext context, T object,
                                                                List<OwnerReference> refs) {
        T copy = context.client().getKubernetesSerialization().clone(object);
        copy.getMetadata().setOwnerReferences(refs.isEmpty() ? null : refs);
        return context.client().resource(copy).update();
    }
}

package dev.timon.controllers.garbagecollector;

import dev.timon.client.Informers;
import dev.timon.controllers.Controller;
import dev.timon.controllers.ControllerContext;
import dev.timon.controllers.NamespacedKinds;
import dev.timon.controllers.ObjectKeys;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

import java.util.ArrayList;
import java.util.List;

/**
 * Deletes objects whose owners are gone (background propagation), orphans dependents of owners deleted with the
 * {@code orphan} finalizer, and deletes dependents of owners deleted with {@code foregroundDeletion}, removing
 * each finalizer once its work is done. Keys are "Kind|namespace/name"; the owner-UID index finds dependents.
 */
public final class GarbageCollector extends Controller {

    static final String ORPHAN = "orphan";
    static final String FOREGROUND = "foregroundDeletion";

    private final ControllerContext context;

    public GarbageCollector(ControllerContext context) {
        super("garbagecollector", 2);
        this.context = context;
        for (Class<? extends HasMetadata> type : NamespacedKinds.OWNED) {
            context.informers().forType(type).addEventHandler(handler());
        }
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                if (hasOwners(obj) || ObjectKeys.isDeleting(obj)) {
                    queue.add(key(obj));
                }
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onAdd(newObj);
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                dependents(obj.getMetadata().getUid()).forEach(d -> queue.add(key(d)));
                ObjectKeys.controllerOf(obj).ifPresent(ref -> queue.add(ref.getKind() + "|"
                        + ObjectKeys.key(obj.getMetadata().getNamespace(), ref.getName())));
            }
        };
    }

    /** An empty ownerReferences list means no owners, not "all owners gone". */
    private static boolean hasOwners(HasMetadata obj) {
        return obj.getMetadata().getOwnerReferences() != null && !obj.getMetadata().getOwnerReferences().isEmpty();
    }

    private static String key(HasMetadata obj) {
        return obj.getKind() + "|" + ObjectKeys.key(obj);
    }

    private List<HasMetadata> dependents(String uid) {
        List<HasMetadata> dependents = new ArrayList<>();
        for (Class<? extends HasMetadata> type : NamespacedKinds.OWNED) {
            dependents.addAll(context.informers().byIndex(type, Informers.BY_OWNER, uid));
        }
        return dependents;
    }

    @Override
    protected void reconcile(String key) {
        String kind = key.substring(0, key.indexOf('|'));
        String objectKey = key.substring(key.indexOf('|') + 1);
        Class<? extends HasMetadata> type = NamespacedKinds.byKind(kind);
        if (type == null) {
            return;
        }
        HasMetadata obj = context.informers().get(type, ObjectKeys.namespace(objectKey), ObjectKeys.name(objectKey));
        if (obj == null) {
            return;
        }
        List<String> finalizers = obj.getMetadata().getFinalizers() == null ? List.of() : obj.getMetadata().getFinalizers();
        if (ObjectKeys.isDeleting(obj) && finalizers.contains(ORPHAN)) {
            orphanDependents(obj);
        } else if (ObjectKeys.isDeleting(obj) && finalizers.contains(FOREGROUND)) {
            deleteDependents(obj);
        }
        if (hasOwners(obj) && !ObjectKeys.isDeleting(obj)) {
            collectIfOwnersGone(obj);
        }
    }

    private void orphanDependents(HasMetadata owner) {
        String uid = owner.getMetadata().getUid();
        for (HasMetadata dependent : dependents(uid)) {
            HasMetadata copy = context.client().getKubernetesSerialization().clone(dependent);
            List<OwnerReference> refs = new ArrayList<>(copy.getMetadata().getOwnerReferences());
            refs.removeIf(ref -> ref.getUid().equals(uid));
            copy.getMetadata().setOwnerReferences(refs.isEmpty() ? null : refs);
            context.client().resource(copy).update();
        }
        removeFinalizer(owner, ORPHAN);
    }

    /** Deletes dependents (in the foreground too, so grandchildren go first) and finishes once none is left. */
    private void deleteDependents(HasMetadata owner) {
        List<HasMetadata> dependents = dependents(owner.getMetadata().getUid());
        if (dependents.isEmpty()) {
            removeFinalizer(owner, FOREGROUND);
            return;
        }
        for (HasMetadata dependent : dependents) {
            if (!ObjectKeys.isDeleting(dependent)) {
                delete(dependent, DeletionPropagation.FOREGROUND);
            }
        }
    }

    private void collectIfOwnersGone(HasMetadata obj) {
        for (OwnerReference ref : obj.getMetadata().getOwnerReferences()) {
            Class<? extends HasMetadata> ownerType = NamespacedKinds.byKind(ref.getKind());
            if (ownerType == null) {
                return; // an owner kind we do not track: never collect on a guess
            }
            HasMetadata owner = context.informers().get(ownerType, obj.getMetadata().getNamespace(), ref.getName());
            if (owner == null) {
                // The cache may lag behind a just-created owner: ask the API server before deleting anything.
                owner = context.client().resources(ownerType).inNamespace(obj.getMetadata().getNamespace())
                        .withName(ref.getName()).get();
            }
            if (owner != null && owner.getMetadata().getUid().equals(ref.getUid())) {
                return;
            }
        }
        delete(obj, DeletionPropagation.BACKGROUND);
    }

    private void delete(HasMetadata obj, DeletionPropagation propagation) {
        try {
            context.client().resources(obj.getClass()).inNamespace(obj.getMetadata().getNamespace())
                    .withName(obj.getMetadata().getName()).withPropagationPolicy(propagation).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private void removeFinalizer(HasMetadata owner, String finalizer) {
        HasMetadata copy = context.client().getKubernetesSerialization().clone(owner);
        List<String> finalizers = new ArrayList<>(copy.getMetadata().getFinalizers());
        finalizers.remove(finalizer);
        copy.getMetadata().setFinalizers(finalizers.isEmpty() ? null : finalizers);
        context.client().resource(copy).update();
    }
}

package dev.timon.compat;

/** The YAML of the Deployments the kubectl tests apply, written once. */
final class Manifests {

    private Manifests() {
    }

    /** One container, main, running {@code image}; the Deployment and its pods are labelled app={name}. */
    static String deployment(String name, int replicas, String image) {
        return deployment(name, name, replicas, "", container("main", image));
    }

    /**
     * A Deployment labelled, selecting and templating pods with app={app}. {@code strategy} is YAML for spec's
     * strategy field (see {@link #rollingUpdate}) or ""; {@code containers} the YAML list items of the pod
     * template's containers (see {@link #container}).
     */
    static String deployment(String name, String app, int replicas, String strategy, String containers) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                  labels: {app: %s}
                spec:
                  replicas: %d
                %s  selector:
                    matchLabels: {app: %s}
                  template:
                    metadata:
                      labels: {app: %s}
                    spec:
                      containers:
                """.formatted(name, app, replicas, strategy, app, app) + containers;
    }

    static String rollingUpdate(int maxUnavailable, int maxSurge) {
        return "  strategy:\n    type: RollingUpdate\n    rollingUpdate: {maxUnavailable: %d, maxSurge: %d}\n"
                .formatted(maxUnavailable, maxSurge);
    }

    /** A container as a YAML list item of a pod template's containers. */
    static String container(String name, String image) {
        return "      - name: " + name + "\n        image: " + image + "\n";
    }
}

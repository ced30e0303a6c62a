package dev.timon.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The served resources, in discovery order, looked up by group/version/plural. */
public final class Registry {

    private final Map<String, ResourceDefinition<?>> byPath = new LinkedHashMap<>();
    private final Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();

    public Registry(Collection<ResourceDefinition<?>> definitions) {
        for (ResourceDefinition<?> d : definitions) {
            byPath.put(path(d.group(), d.version(), d.plural()), d);
            List<String> versions = versionsByGroup.computeIfAbsent(d.group(), g -> new ArrayList<>());
            if (!versions.contains(d.version())) {
                versions.add(d.version());
            }
        }
    }

    public Optional<ResourceDefinition<?>> find(String group, String version, String plural) {
        return Optional.ofNullable(byPath.get(path(group, version, plural)));
    }

    public Collection<ResourceDefinition<?>> all() {
        return byPath.values();
    }

    /** Groups in discovery order ("" is the core group), each with its versions, preferred first. */
    public Map<String, List<String>> groups() {
        return versionsByGroup;
    }

    public List<ResourceDefinition<?>> inGroupVersion(String group, String version) {
        return byPath.values().stream().filter(d -> d.group().equals(group) && d.version().equals(version)).toList();
    }

    /** The definition serving a kind in a group version, e.g. for ownerReferences and involvedObject. */
    public Optional<ResourceDefinition<?>> byKind(String apiVersion, String kind) {
        return byPath.values().stream().filter(d -> d.apiVersion().equals(apiVersion) && d.kind().equals(kind)).findFirst();
    }

    private static String path(String group, String version, String plural) {
        return group + "/" + version + "/" + plural;
    }
}

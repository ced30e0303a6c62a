package dev.timon.apiserver.apply;

import java.util.ArrayList;
import java.util.List;

/** A field path from the object's root, printed as upstream prints it in conflicts: {@code .spec.replicas}. */
public record Path(List<PathElement> elements) {

    public Path {
        elements = List.copyOf(elements);
    }

    Path child(PathElement element) {
        List<PathElement> longer = new ArrayList<>(elements);
        longer.add(element);
        return new Path(longer);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        elements.forEach(text::append);
        return text.toString();
    }
}

package dev.timon.apimachinery;

/** A value already rendered as Go's %#v renders it, printed without quotes in a field error. */
public record GoValue(String rendered) {
    @Override
    public String toString() {
        return rendered;
    }
}

package dev.timon.apimachinery;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;

/** Name rules of apimachinery's validation package, with the messages upstream prints. */
public final class Names {

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final char[] SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Which rule a resource's names follow. */
    public enum Rule {
        DNS1123_SUBDOMAIN, DNS1123_LABEL, DNS1035_LABEL, PATH_SEGMENT
    }

    private Names() {
    }

    /** The reason a name breaks the rule, or empty when it is fine. */
    public static Optional<String> check(Rule rule, String name) {
        return switch (rule) {
            case DNS1123_LABEL -> dns1123Label(name);
            case DNS1035_LABEL -> name.length() > 63 ? Optional.of(maxLength(63))
                    : DNS1035_LABEL.matcher(name).matches() ? Optional.empty()
                    : Optional.of("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                    + "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
                    + "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
            case DNS1123_SUBDOMAIN -> dns1123Subdomain(name);
            case PATH_SEGMENT -> name.equals(".") || name.equals("..") ? Optional.of("may not be '" + name + "'")
                    : name.contains("/") || name.contains("%") ? Optional.of("may not contain '/' or '%'") : Optional.empty();
        };
    }

    public static Optional<String> dns1123Label(String name) {
        if (name.length() > 63) {
            return Optional.of(maxLength(63));
        }
        return DNS1123_LABEL.matcher(name).matches() ? Optional.empty()
                : Optional.of("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
                + "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation "
                + "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    }

    public static Optional<String> dns1123Subdomain(String name) {
        if (name.length() > 253) {
            return Optional.of(maxLength(253));
        }
        return DNS1123_SUBDOMAIN.matcher(name).matches() ? Optional.empty()
                : Optional.of("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                + "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation "
                + "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }

    /** A label or annotation key: an optional DNS subdomain prefix and a slash, then a qualified name. */
    public static Optional<String> qualifiedName(String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty()) {
                return Optional.of("prefix part must be non-empty");
            }
            Optional<String> prefixError = dns1123Subdomain(prefix);
            if (prefixError.isPresent()) {
                return Optional.of("prefix part " + prefixError.get());
            }
        }
        if (name.isEmpty()) {
            return Optional.of("name part must be non-empty");
        }
        if (name.length() > 63) {
            return Optional.of("name part must be no more than 63 characters");
        }
        return QUALIFIED_NAME_PART.matcher(name).matches() ? Optional.empty()
                : Optional.of("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                + "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation "
                + "is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    }

    public static Optional<String> labelValue(String value) {
        if (value.length() > 63) {
            return Optional.of(maxLength(63));
        }
        return LABEL_VALUE.matcher(value).matches() ? Optional.empty()
                : Optional.of("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                + "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
                + "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    }

    /** generateName plus five characters from the alphabet upstream uses (no vowels, no look-alikes). */
    public static String generate(String base) {
        String prefix = base.length() > 58 ? base.substring(0, 58) : base;
        StringBuilder name = new StringBuilder(prefix);
        for (int i = 0; i < 5; i++) {
            name.append(SUFFIX_ALPHABET[RANDOM.nextInt(SUFFIX_ALPHABET.length)]);
        }
        return name.toString();
    }

    private static String maxLength(int n) {
        return "must be no more than " + n + " characters";
    }
}

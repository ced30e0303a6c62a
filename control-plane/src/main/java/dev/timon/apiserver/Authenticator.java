package dev.timon.apiserver;

import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/** Bearer-token authentication: every request names a known token or is refused with 401. */
public final class Authenticator {

    /** Who a token belongs to. */
    public record User(String name, java.util.List<String> groups) {
    }

    private final Map<String, User> users;

    public Authenticator(Map<String, User> tokens) {
        this.users = Map.copyOf(tokens);
    }

    public Optional<User> authenticate(HttpServerRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, User> e : users.entrySet()) {
            // Constant-time comparison, so response timing does not reveal a token's prefix.
            if (MessageDigest.isEqual(presented, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }
}

package dev.timon.controllers;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;

/**
 * The controller-revision-hash of a pod template. Upstream hashes the ControllerRevision it stores; Timon
 * serves no ControllerRevisions, so the hash is taken of the template itself (FNV-1a, 32 bits) and written
 * in upstream's "safe" alphabet (no vowels, no look-alike characters), which keeps label values familiar.
 */
public final class TemplateHash {

    private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private TemplateHash() {
    }

    public static String of(PodTemplateSpec template) {
        byte[] bytes = Serialization.asJson(template).getBytes(StandardCharsets.UTF_8);
        int hash = 0x811c9dc5;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        String decimal = Long.toString(Integer.toUnsignedLong(hash));
        StringBuilder safe = new StringBuilder(decimal.length());
        for (char c : decimal.toCharArray()) {
            safe.append(SAFE_ALPHABET.charAt(c % SAFE_ALPHABET.length()));
        }
        return safe.toString();
    }
}

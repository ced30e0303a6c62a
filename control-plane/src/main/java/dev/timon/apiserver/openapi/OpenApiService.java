package dev.timon.apiserver.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.base.Suppliers;
import dev.timon.registry.Registry;

import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The OpenAPI documents of the served API, generated from the registry's model classes: the /openapi/v3 index and
 * one OpenAPI 3.0 document per group version (what kubectl reads to decide on server-side field validation and
 * for `kubectl explain`), and the Swagger 2.0 document of the whole API in gnostic's protobuf form (/openapi/v2, the
 * fallback of older clients). The documents are built once, on first use, which takes a few seconds of reflection:
 * call {@link #v3Index()} at startup, off the event loop. The instance is safe to share.
 */
public final class OpenApiService {

    /** Upstream's group-version documents carry no server version either. */
    static final String INFO_VERSION = "unversioned";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Registry registry;
    private final Supplier<Documents> documents = Suppliers.memoize(this::build);

    public OpenApiService(Registry registry) {
        this.registry = registry;
    }

    /** Content type of {@link #v2Protobuf()}. */
    public static final String V2_PROTOBUF_CONTENT_TYPE = GnosticV2.CONTENT_TYPE;

    /** The /openapi/v3 index: every group version's document path with a content-hashed URL. */
    public ObjectNode v3Index() {
        ObjectNode index = JsonNodeFactory.instance.objectNode();
        ObjectNode paths = index.putObject("paths");
        documents.get().v3.forEach((path, document) -> paths.putObject(path)
                .put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + document.hash()));
        return index;
    }

    /** The OpenAPI 3.0 document (JSON) of a group version path such as "api/v1" or "apis/apps/v1". */
    public Optional<byte[]> v3Document(String groupVersionPath) {
        return Optional.ofNullable(documents.get().v3.get(groupVersionPath)).map(d -> d.json().clone());
    }

    /**
     * The upper-case hex SHA-512 of a group version's document, as upstream puts in the index; it changes exactly
     * when the document does, so clients may cache by it. Empty when the group version is not served.
     */
    public String hash(String groupVersionPath) {
        Document document = documents.get().v3.get(groupVersionPath);
        return document == null ? "" : document.hash();
    }

    /** The Swagger 2.0 document of every served group version, as gnostic's openapi.v2.Document protobuf. */
    public byte[] v2Protobuf() {
        return documents.get().v2.clone();
    }

    private Documents build() {
        List<GroupVersionApi> apis = groupVersions();
        Map<String, Document> v3 = new LinkedHashMap<>();
        for (GroupVersionApi api : apis) {
            v3.put(api.path(), Document.of(OpenApiV3.document(api, INFO_VERSION)));
        }
        return new Documents(v3, GnosticV2.encode(SwaggerV2.document(apis, INFO_VERSION)));
    }

    private List<GroupVersionApi> groupVersions() {
        return registry.groups().entrySet().stream()
                .flatMap(group -> group.getValue().stream().map(version ->
                        GroupVersionApi.of(group.getKey(), version, registry.inGroupVersion(group.getKey(), version))))
                .toList();
    }

    private record Documents(Map<String, Document> v3, byte[] v2) {
    }

    private record Document(byte[] json, String hash) {

        static Document of(ObjectNode tree) {
            try {
                byte[] json = MAPPER.writeValueAsBytes(tree);
                return new Document(json, HexFormat.of().withUpperCase()
                        .formatHex(MessageDigest.getInstance("SHA-512").digest(json)));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-512", e);
            }
        }
    }
}

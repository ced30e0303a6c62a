package dev.timon.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.timon.apimachinery.ApiException;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A create in a namespace being deleted is refused with upstream's Status: 403 Forbidden with the
 * NamespaceTerminating cause, which tells controllers not to retry. Against a real etcd.
 */
class NamespaceTerminatingTest {

    @Test
    void aCreateInANamespaceBeingDeletedCarriesTheNamespaceTerminatingCause() throws Exception {
        try (StoreFixture fixture = new StoreFixture("doomed")) {
            ResourceDefinition<?> namespaces = fixture.resource("", "v1", "namespaces");
            ResourceDefinition<?> configMaps = fixture.resource("", "v1", "configmaps");
            // The namespace's own finalizer (no namespace controller runs here) keeps it terminating.
            fixture.store.delete(namespaces, null, "doomed", DeleteRequest.DEFAULT).get(10, TimeUnit.SECONDS);
            fixture.cache.waitUntilFresh().get(10, TimeUnit.SECONDS);

            ExecutionException failure = assertThrows(ExecutionException.class, () -> fixture.store.create(configMaps,
                    "doomed", StoreFixture.json("{\"metadata\":{\"name\":\"late\"}}"), StoreFixture.WRITE)
                    .get(10, TimeUnit.SECONDS));

            Status status = assertInstanceOf(ApiException.class, failure.getCause()).toStatus();
            assertEquals(403, status.getCode());
            assertEquals("Forbidden", status.getReason());
            assertEquals("configmaps is forbidden: unable to create new content in namespace doomed because it is being "
                    + "terminated", status.getMessage());
            assertNotNull(status.getDetails());
            StatusCause cause = status.getDetails().getCauses().get(0);
            assertEquals("NamespaceTerminating", cause.getReason());
            assertEquals("namespace doomed is being terminated", cause.getMessage());
            assertEquals("metadata.namespace", cause.getField());
        }
    }
}

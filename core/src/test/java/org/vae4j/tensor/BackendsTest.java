package org.vae4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Discovery and the selection order: explicit, then property, then environment, then priority. */
class BackendsTest {

    @Test
    void explicitNameWinsOverPropertyAndEnvironment() {
        Backends.Choice c = Backends.choose("reference", "unknown-property", "unknown-env");
        assertEquals(new Backends.Choice("reference", "explicit choice"), c);
    }

    @Test
    void propertyWinsOverEnvironment() {
        Backends.Choice c = Backends.choose(null, "reference", "unknown-env");
        assertEquals("reference", c.name());
        assertTrue(c.source().contains(Backends.PROPERTY), c.source());
    }

    @Test
    void environmentIsUsedWhenNothingElseNamesABackend() {
        Backends.Choice c = Backends.choose(null, null, "reference");
        assertEquals("reference", c.name());
        assertTrue(c.source().contains(Backends.ENVIRONMENT), c.source());
    }

    @Test
    void blankNamesCountAsAbsent() {
        Backends.Choice c = Backends.choose("  ", "", "reference");
        assertTrue(c.source().contains(Backends.ENVIRONMENT), c.source());
    }

    @Test
    void priorityChoosesTheBestAvailableBackendAndSkipsUnavailableOnes() {
        // unavailable-test has priority 1000 but cannot run; reference (-100) is all that is left
        Backends.Choice c = Backends.choose(null, null, null);
        assertEquals(new Backends.Choice("reference", "highest priority available"), c);
    }

    @Test
    void namesAreTrimmedAndCaseInsensitive() {
        assertEquals("reference", Backends.choose(" Reference ", null, null).name());
        assertSame(Backends.get("reference"), Backends.get("REFERENCE"));
    }

    @Test
    void unknownNameListsTheBackendsPresent() {
        UnknownBackendException e = assertThrows(UnknownBackendException.class,
                () -> Backends.choose(null, "tpu", null));
        assertTrue(e.getMessage().contains("'tpu'"), e.getMessage());
        assertTrue(e.getMessage().contains(Backends.PROPERTY), e.getMessage());
        assertTrue(e.getMessage().contains("reference (available)"), e.getMessage());
        assertTrue(e.getMessage().contains("unavailable-test (unavailable: "
                + UnavailableTestProvider.REASON + ")"), e.getMessage());
        e = assertThrows(UnknownBackendException.class, () -> Backends.get("tpu"));
        assertTrue(e.getMessage().contains("reference"), e.getMessage());
    }

    @Test
    void unavailableNameSaysWhy() {
        UnknownBackendException e = assertThrows(UnknownBackendException.class,
                () -> Backends.choose("unavailable-test", null, null));
        assertTrue(e.getMessage().contains("not available here: "
                + UnavailableTestProvider.REASON), e.getMessage());
        e = assertThrows(UnknownBackendException.class,
                () -> Backends.create("unavailable-test", new BackendConfig(1)));
        assertTrue(e.getMessage().contains(UnavailableTestProvider.REASON), e.getMessage());
    }

    @Test
    void listIsOrderedByPriority() {
        List<Backends.Info> infos = Backends.list();
        assertEquals(List.of("unavailable-test", "reference"),
                infos.stream().map(Backends.Info::name).toList());
        assertEquals(-100, infos.get(1).priority());
        assertTrue(infos.get(1).availability().available());
    }

    @Test
    void getCreatesOneInstancePerNameAndCreateANewOne() {
        Backend a = Backends.get("reference");
        assertSame(a, Backends.get("reference"));
        assertEquals("reference", a.name());
        Backend fresh = Backends.create("reference", new BackendConfig(2));
        assertTrue(fresh != a);
    }
}

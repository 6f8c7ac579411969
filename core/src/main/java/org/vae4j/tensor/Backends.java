package org.vae4j.tensor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Finds the backends on the class path and chooses one.
 *
 * <p>Selection, first match wins: an explicit name ({@link #get(String)}, the Guice
 * {@link BackendModule}, the CLI's {@code --backend}); the system property {@code vae4j.backend};
 * the environment variable {@code VAE4J_BACKEND}; the available backend of highest priority.
 * An unknown or unavailable name is an error that lists what is present and why.
 */
public final class Backends {

    /** The system property that names a backend. */
    public static final String PROPERTY = "vae4j.backend";
    /** The environment variable that names a backend. */
    public static final String ENVIRONMENT = "VAE4J_BACKEND";

    private static final Map<String, Backend> INSTANCES = new ConcurrentHashMap<>();
    private static final Map<String, Availability> AVAILABILITY = new ConcurrentHashMap<>();

    private Backends() {
    }

    /** What one provider is and whether it can run here. */
    public record Info(String name, int priority, String description, Availability availability) {
    }

    /** A backend name and what chose it (e.g. "environment variable VAE4J_BACKEND"). */
    public record Choice(String name, String source) {
    }

    /** Every provider on the class path, highest priority first. */
    public static List<Info> list() {
        List<Info> infos = new ArrayList<>();
        for (BackendProvider p : providers()) {
            infos.add(new Info(p.name(), p.priority(), p.description(), availabilityOf(p)));
        }
        return infos;
    }

    /** The backend called {@code name}, created once per JVM with {@link BackendConfig#fromSystem()}. */
    public static Backend get(String name) {
        String key = name.trim().toLowerCase();
        Backend existing = INSTANCES.get(key);
        if (existing != null) {
            return existing;
        }
        synchronized (INSTANCES) {
            return INSTANCES.computeIfAbsent(key, k -> create(k, BackendConfig.fromSystem()));
        }
    }

    /** A new backend called {@code name} with the given settings. */
    public static Backend create(String name, BackendConfig config) {
        String key = name.trim().toLowerCase();
        BackendProvider provider = providers().stream()
                .filter(p -> p.name().equals(key))
                .findFirst()
                .orElseThrow(() -> new UnknownBackendException("unknown backend '" + name + "'; "
                        + presentList()));
        Availability a = availabilityOf(provider);
        if (!a.available()) {
            throw new UnknownBackendException("backend '" + key + "' is not available here: "
                    + a.reason() + "; " + presentList());
        }
        return provider.create(config);
    }

    /** The backend chosen by the system property, the environment, or priority. */
    public static Backend select() {
        return get(choose(null).name());
    }

    /** Like {@link #select()}, but an explicit non-null name wins. */
    public static Backend select(String explicit) {
        return get(choose(explicit).name());
    }

    /** Which backend would be used now, and why; fails if the named one is unknown or unavailable. */
    public static Choice choose(String explicit) {
        return choose(explicit, System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
    }

    static Choice choose(String explicit, String property, String environment) {
        if (present(explicit)) {
            return checked(explicit, "explicit choice");
        }
        if (present(property)) {
            return checked(property, "system property " + PROPERTY);
        }
        if (present(environment)) {
            return checked(environment, "environment variable " + ENVIRONMENT);
        }
        Optional<BackendProvider> best = providers().stream()
                .filter(p -> availabilityOf(p).available())
                .findFirst();
        return best.map(p -> new Choice(p.name(), "highest priority available"))
                .orElseThrow(() -> new UnknownBackendException("no backend is available; "
                        + presentList()));
    }

    private static Choice checked(String name, String source) {
        String key = name.trim().toLowerCase();
        Optional<BackendProvider> p = providers().stream()
                .filter(x -> x.name().equals(key)).findFirst();
        if (p.isEmpty()) {
            throw new UnknownBackendException(source + " names backend '" + name
                    + "', which is unknown; " + presentList());
        }
        Availability a = availabilityOf(p.get());
        if (!a.available()) {
            throw new UnknownBackendException(source + " names backend '" + key
                    + "', which is not available here: " + a.reason() + "; " + presentList());
        }
        return new Choice(key, source);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static String presentList() {
        List<Info> infos = list();
        if (infos.isEmpty()) {
            return "no backend is on the class path (add vae4j-backend-ejml)";
        }
        return "backends present: " + infos.stream()
                .map(i -> i.name() + " (" + i.availability() + ")")
                .collect(Collectors.joining(", "));
    }

    private static Availability availabilityOf(BackendProvider p) {
        return AVAILABILITY.computeIfAbsent(p.name(), k -> {
            try {
                return p.availability();
            } catch (Throwable t) {
                return Availability.no(t.getClass().getSimpleName() + ": " + t.getMessage());
            }
        });
    }

    private static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        for (ServiceLoader.Provider<BackendProvider> p
                : ServiceLoader.load(BackendProvider.class).stream().toList()) {
            try {
                list.add(p.get());
            } catch (Throwable t) {
                // a provider that cannot even be constructed is skipped; its module is broken
            }
        }
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed()
                .thenComparing(BackendProvider::name));
        return list;
    }
}

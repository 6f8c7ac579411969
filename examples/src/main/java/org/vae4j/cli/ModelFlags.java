package org.vae4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOption;
import org.vae4j.model.ModelProvider;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The flags that set model settings, derived from the options the registered model types
 * declare: every {@link ModelOption} with a {@link ModelOption#flag()} becomes a flag of the
 * commands that build models ({@link Host}), so a new model type brings its own flags. A flag
 * the chosen model does not have is an error naming the flag and the models it does apply to;
 * values are checked against the option's type and range before any work. {@code --set
 * key=value} reaches every other setting.
 */
final class ModelFlags {

    /** A command whose model settings come from these flags. */
    interface Host {
    }

    static final String SET = "--set";

    private static final String HEADING =
            "%nModel settings (each applies only to the models that have the setting):%n";

    private ModelFlags() {
    }

    /** One declared flag: the setting it sets and the models that declare it. */
    private record Flag(String name, ModelOption option, List<String> models) {
    }

    /** Adds the model flags to every {@link Host} subcommand of {@code root}. */
    static void install(CommandLine root, List<ModelProvider> providers) {
        for (CommandLine sub : root.getSubcommands().values()) {
            if (sub.getCommand() instanceof Host) {
                addTo(sub.getCommandSpec(), providers);
            }
        }
    }

    /** The declared flags of {@code providers}, by flag name, in the order first declared. */
    private static Map<String, Flag> flags(List<ModelProvider> providers) {
        Map<String, Flag> flags = new LinkedHashMap<>();
        for (ModelProvider p : providers) {
            for (ModelOption o : p.options()) {
                if (o.flag() == null) {
                    continue;
                }
                Flag f = flags.get(o.flag());
                if (f == null) {
                    flags.put(o.flag(), new Flag(o.flag(), o, new ArrayList<>(List.of(p.name()))));
                } else if (!f.option().name().equals(o.name()) || f.option().type() != o.type()) {
                    throw new IllegalStateException("model '" + p.name() + "' declares flag "
                            + o.flag() + " for setting '" + o.name() + "' (" + o.type().label()
                            + "), but models " + f.models() + " declare it for '"
                            + f.option().name() + "' (" + f.option().type().label() + ")");
                } else {
                    f.models().add(p.name());
                }
            }
        }
        return flags;
    }

    private static void addTo(CommandSpec spec, List<ModelProvider> providers) {
        ArgGroupSpec.Builder group = ArgGroupSpec.builder().validate(false).exclusive(false)
                .heading(HEADING).order(20);
        int order = 20;
        for (Flag f : flags(providers).values()) {
            ModelOption o = f.option();
            OptionSpec.Builder b = OptionSpec.builder(f.name()).order(order++)
                    .description(describe(f));
            switch (o.type()) {
                case BOOLEAN -> b.type(boolean.class).arity("0");
                case INTS, NUMBERS -> b.type(String[].class).auxiliaryTypes(String.class)
                        .splitRegex(",").paramLabel(o.type() == ModelOption.Type.INTS
                                ? "N[,N...]" : "X[,X...]").hideParamSyntax(true);
                case INT -> b.type(String.class).paramLabel("N");
                case NUMBER -> b.type(String.class).paramLabel("X");
                case CHOICE -> b.type(String.class).paramLabel("WORD");
                default -> b.type(String.class).paramLabel("VALUE");
            }
            group.addArg(b.build());
        }
        // one call per statement: some of picocli's builder methods return an inaccessible type
        OptionSpec.Builder set = OptionSpec.builder(SET).order(40).paramLabel("KEY=VALUE");
        set.type(Map.class).auxiliaryTypes(String.class, String.class);
        set.description("Any other model setting, e.g. --set activation=tanh; repeatable."
                + " Nested settings take JSON, e.g. --set 'stages=[{\"channels\":32}]'."
                + " 'vae4j models NAME' lists a model's settings.");
        set.mapFallbackValue("");
        group.addArg(set.build());
        spec.addArgGroup(group.build());
    }

    private static String describe(Flag f) {
        ModelOption o = f.option();
        String what = o.description().isEmpty() ? "" : o.description();
        String also = o.flagAlsoSets().isEmpty() ? "" : "; also sets " + o.flagAlsoSets()
                .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
        String models = String.join(", ", f.models());
        return models + ": " + what + " (setting '" + o.name() + "'" + also + ")"
                + (o.range().isEmpty() ? "" : ", " + o.range()) + ".";
    }

    /** The model type {@code --model} names and its settings from the model flags. */
    record Choice(ModelProvider provider, ModelConfig settings) {
    }

    /**
     * Resolves {@code --model NAME} in the registry and turns the model flags given to
     * {@code cl} into that model's settings; an unknown model, a flag it lacks or a value out of
     * range is a usage error.
     */
    static Choice resolve(CommandLine cl, ModelRegistry registry, String model) {
        ModelProvider provider;
        try {
            provider = registry.provider(model);
        } catch (IllegalArgumentException e) {
            throw Flags.error(cl, e.getMessage());
        }
        return new Choice(provider, toConfig(cl, provider, registry.list()));
    }

    /** A setting with the flag that gave it, for errors about settings given twice. */
    private record Given(Object value, String by) {
    }

    /**
     * The settings the model flags given to {@code cl} set for a model of type
     * {@code provider}; settings not given keep the model's defaults.
     */
    static ModelConfig toConfig(CommandLine cl, ModelProvider provider, List<ModelProvider> all) {
        ParseResult parsed = cl.getParseResult();
        Map<String, ModelOption> byName = new LinkedHashMap<>();
        provider.options().forEach(o -> byName.put(o.name(), o));
        Map<String, Given> values = new LinkedHashMap<>();
        Map<String, Flag> declared = flags(all);
        for (Flag f : declared.values()) {
            if (parsed == null || !parsed.hasMatchedOption(f.name())) {
                continue;
            }
            ModelOption o = provider.options().stream()
                    .filter(x -> f.name().equals(x.flag())).findFirst().orElse(null);
            if (o == null) {
                throw Flags.error(cl, f.name() + " does not apply to model '" + provider.name()
                        + "' (it applies to: " + String.join(", ", f.models()) + ")");
            }
        }
        // In the model's declared order, so errors about two flags read the same every time.
        for (ModelOption o : provider.options()) {
            if (o.flag() == null || parsed == null || !parsed.hasMatchedOption(o.flag())) {
                continue;
            }
            put(cl, provider, values, o, checked(cl, provider, o, raw(parsed, o)), o.flag());
            for (Map.Entry<String, Object> e : o.flagAlsoSets().entrySet()) {
                ModelOption implied = byName.get(e.getKey());
                if (implied == null) {
                    throw new IllegalStateException("flag " + o.flag() + " of model '"
                            + provider.name() + "' sets '" + e.getKey()
                            + "', which the model does not declare");
                }
                Given before = values.get(e.getKey());
                Object value = checked(cl, provider, implied, e.getValue());
                if (before != null && !before.value().equals(value)) {
                    throw Flags.error(cl, before.by() + " and " + o.flag() + " set '"
                            + e.getKey() + "' to different values (" + before.value() + ", "
                            + value + "); give one of them");
                }
                values.put(e.getKey(), new Given(value, o.flag()));
            }
        }
        Map<String, String> set = parsed == null ? Map.of()
                : parsed.matchedOptionValue(SET, Map.<String, String>of());
        Set<String> known = new TreeSet<>(byName.keySet());
        for (Map.Entry<String, String> e : set.entrySet()) {
            String key = e.getKey().trim();
            if (key.isEmpty() || e.getValue().isEmpty()) {
                throw Flags.error(cl, "--set expects KEY=VALUE, got '" + e.getKey() + "="
                        + e.getValue() + "'");
            }
            ModelOption o = byName.get(key);
            if (o == null) {
                throw Flags.error(cl, "--set " + key + "=" + e.getValue() + ": model '"
                        + provider.name() + "' has no setting '" + key + "'; its settings are: "
                        + String.join(", ", known));
            }
            Object value = checked(cl, provider, o, o.parse(e.getValue()));
            Given before = values.get(key);
            if (before != null && !before.value().equals(value)) {
                throw Flags.error(cl, "setting '" + key + "' is given twice, by " + before.by()
                        + " and by --set " + key + "=" + e.getValue() + "; give it once");
            }
            values.put(key, new Given(value, "--set"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, g) -> out.put(k, g.value()));
        return ModelConfig.of(out);
    }

    private static void put(CommandLine cl, ModelProvider provider, Map<String, Given> values,
            ModelOption o, Object value, String by) {
        Given before = values.get(o.name());
        if (before != null && !Objects.equals(before.value(), value)) {
            throw Flags.error(cl, "setting '" + o.name() + "' is given twice, by " + before.by()
                    + " and by " + by + "; give it once");
        }
        values.put(o.name(), new Given(value, by));
    }

    /** The value of {@code o}'s flag as typed on the command line, in the option's type. */
    private static Object raw(ParseResult parsed, ModelOption o) {
        return switch (o.type()) {
            case BOOLEAN -> Boolean.TRUE;
            case INTS, NUMBERS -> o.parse(String.join(",",
                    parsed.matchedOptionValue(o.flag(), new String[0])));
            default -> o.parse(parsed.matchedOptionValue(o.flag(), ""));
        };
    }

    private static Object checked(CommandLine cl, ModelProvider provider, ModelOption o,
            Object value) {
        try {
            return o.check(provider.name(), value);
        } catch (IllegalArgumentException e) {
            throw Flags.error(cl, e.getMessage());
        }
    }
}

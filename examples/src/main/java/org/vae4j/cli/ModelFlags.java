package org.vae4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOption;
import org.vae4j.model.ModelProvider;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The flags that set model settings. Each maps to one {@link ModelConfig} key (the
 * {@link ModelOption} names the model types declare); a flag whose key the chosen model does not
 * have is an error naming the flag and the models it does apply to. {@code --set key=value}
 * reaches every other setting, so third-party models need no flags of their own.
 */
final class ModelFlags {

    @Option(names = "--latent", paramLabel = "N", order = 20,
            description = "Size of the latent code z (setting 'latent').")
    Integer latent;

    @Option(names = "--hidden", paramLabel = "N[,N...]", split = ",", order = 21,
            hideParamSyntax = true,
            description = "Hidden layer widths of the encoder; the decoder mirrors them"
                    + " (setting 'hidden'), e.g. --hidden 512,256.")
    List<Integer> hidden;

    @Option(names = "--beta", paramLabel = "X", order = 30,
            description = "beta-vae: weight of the KL term (setting 'beta').")
    Double beta;

    @Option(names = "--capacity-max", paramLabel = "NATS", order = 31,
            description = "beta-vae: use the capacity objective gamma*|KL - C(t)| with this"
                    + " final capacity C (settings 'objective=capacity', 'capacity-max').")
    Double capacityMax;

    @Option(names = "--noise", paramLabel = "KIND", order = 32,
            description = "dae: input corruption: mask, gaussian or none (setting 'noise').")
    String noise;

    @Option(names = "--noise-level", paramLabel = "X", order = 33,
            description = "dae: fraction of inputs masked, or the Gaussian noise's standard"
                    + " deviation (setting 'noise-level').")
    Double noiseLevel;

    @Option(names = "--codebook-size", paramLabel = "K", order = 34,
            description = "vq-vae: number of codebook vectors (setting 'codebook-size').")
    Integer codebookSize;

    @Option(names = "--commitment", paramLabel = "X", order = 35,
            description = "vq-vae: weight of the commitment loss (setting 'commitment').")
    Double commitment;

    @Option(names = "--ema", order = 36,
            description = "vq-vae: update the codebook by exponential moving averages"
                    + " (setting 'ema').")
    Boolean ema;

    @Option(names = "--set", paramLabel = "KEY=VALUE", order = 40, mapFallbackValue = "",
            description = "Any other model setting, e.g. --set activation=tanh; repeatable."
                    + " 'vae4j models NAME' lists a model's settings.")
    Map<String, String> set = new LinkedHashMap<>();

    /** One flag that sets one model setting. */
    private record FlagSetting(String flag, String key, Object value) {
    }

    private List<FlagSetting> given() {
        List<FlagSetting> s = new ArrayList<>();
        add(s, "--latent", "latent", latent);
        add(s, "--hidden", "hidden", hidden == null ? null : List.copyOf(hidden));
        add(s, "--beta", "beta", beta);
        add(s, "--capacity-max", "capacity-max", capacityMax);
        add(s, "--noise", "noise", noise);
        add(s, "--noise-level", "noise-level", noiseLevel);
        add(s, "--codebook-size", "codebook-size", codebookSize);
        add(s, "--commitment", "commitment", commitment);
        add(s, "--ema", "ema", ema);
        return s;
    }

    private static void add(List<FlagSetting> list, String flag, String key, Object value) {
        if (value != null) {
            list.add(new FlagSetting(flag, key, value));
        }
    }

    /** The model type {@code --model} names and its settings from the model flags. */
    record Choice(ModelProvider provider, ModelConfig settings) {
    }

    /**
     * Resolves {@code --model NAME} in the registry and turns {@code flags} (null when none was
     * given) into that model's settings; an unknown model or a flag it lacks is a usage error.
     */
    static Choice resolve(CommandLine cl, ModelRegistry registry, String model,
            ModelFlags flags) {
        ModelProvider provider;
        try {
            provider = registry.provider(model);
        } catch (IllegalArgumentException e) {
            throw Flags.error(cl, e.getMessage());
        }
        ModelFlags given = flags != null ? flags : new ModelFlags();
        return new Choice(provider, given.toConfig(cl, provider, registry.list()));
    }

    /**
     * The settings these flags give for a model of type {@code provider}; settings not given
     * keep the model's defaults.
     */
    ModelConfig toConfig(CommandLine cl, ModelProvider provider, List<ModelProvider> all) {
        Set<String> known = provider.options().stream().map(ModelOption::name)
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> givenBy = new LinkedHashMap<>();
        for (FlagSetting f : given()) {
            if (!known.contains(f.key())) {
                throw Flags.error(cl, f.flag() + " does not apply to model '" + provider.name()
                        + "'" + appliesTo(f.key(), all));
            }
            values.put(f.key(), f.value());
            givenBy.put(f.key(), f.flag());
        }
        if (capacityMax != null) {
            if (beta != null) {
                throw Flags.error(cl, "--beta and --capacity-max choose different beta-vae"
                        + " objectives (beta*KL, or gamma*|KL - C|); give one of them");
            }
            values.put("objective", "capacity");
            givenBy.put("objective", "--capacity-max");
        }
        for (Map.Entry<String, String> e : set.entrySet()) {
            String key = e.getKey().trim();
            if (key.isEmpty() || e.getValue().isEmpty()) {
                throw Flags.error(cl, "--set expects KEY=VALUE, got '" + e.getKey() + "="
                        + e.getValue() + "'");
            }
            if (!known.contains(key)) {
                throw Flags.error(cl, "--set " + key + "=" + e.getValue() + ": model '"
                        + provider.name() + "' has no setting '" + key + "'; its settings are: "
                        + String.join(", ", known));
            }
            if (givenBy.containsKey(key)) {
                Object flagValue = values.get(key);
                Object setValue = parseValue(e.getValue());
                if (!String.valueOf(flagValue).equalsIgnoreCase(String.valueOf(setValue))) {
                    throw Flags.error(cl, "setting '" + key + "' is given twice, by "
                            + givenBy.get(key) + " and by --set " + key + "=" + e.getValue()
                            + "; give it once");
                }
            }
            values.put(key, parseValue(e.getValue()));
            givenBy.put(key, "--set");
        }
        return ModelConfig.of(values);
    }

    private static String appliesTo(String key, List<ModelProvider> all) {
        List<String> models = all.stream()
                .filter(p -> p.options().stream().anyMatch(o -> o.name().equals(key)))
                .map(ModelProvider::name).toList();
        return models.isEmpty() ? "" : " (it applies to: " + String.join(", ", models) + ")";
    }

    private static final Pattern INT = Pattern.compile("[-+]?\\d{1,9}");
    private static final Pattern NUMBER =
            Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern INT_LIST = Pattern.compile("\\d+(\\s*,\\s*\\d+)+");

    /** A {@code --set} value as the JSON type it reads as: boolean, number, list or text. */
    static Object parseValue(String raw) {
        String s = raw.trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        if (INT.matcher(s).matches()) {
            return Integer.parseInt(s);
        }
        if (NUMBER.matcher(s).matches()) {
            return Double.parseDouble(s);
        }
        if (INT_LIST.matcher(s).matches()) {
            List<Integer> list = new ArrayList<>();
            for (String part : s.split(",")) {
                list.add(Integer.parseInt(part.trim()));
            }
            return list;
        }
        return s;
    }
}

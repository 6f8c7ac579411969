package org.vae4j.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vae4j.model.ModelOption;
import org.vae4j.model.ModelProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vae4j models}: the registered model types, or one type's settings. */
@Command(name = "models", usageHelpAutoWidth = true, abbreviateSynopsis = true,
        description = {
            "List the model types on the class path with a line about each; with a NAME, list"
                    + " that model's settings with their defaults.",
            "Settings are given to 'vae4j train' with their flag where there is one (--latent,"
                    + " --hidden, --beta, ...) or with --set KEY=VALUE."
        })
final class ModelsCommand implements Callable<Integer> {

    /** The train flags that set a setting directly. */
    private static final Map<String, String> FLAGS = Map.of(
            "latent", "--latent", "hidden", "--hidden", "beta", "--beta",
            "capacity-max", "--capacity-max", "noise", "--noise", "noise-level", "--noise-level",
            "codebook-size", "--codebook-size", "commitment", "--commitment", "ema", "--ema");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    HelpOption help;

    @Parameters(paramLabel = "NAME", arity = "0..1",
            description = "A model type whose settings to show.")
    String name;

    private final ModelRegistry registry;

    @Inject
    ModelsCommand(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (name == null) {
            List<ModelProvider> all = registry.list();
            int width = all.stream().mapToInt(p -> p.name().length()).max().orElse(5);
            for (ModelProvider p : all) {
                out.printf(Locale.ROOT, "%-" + (width + 2) + "s%s%n", p.name(), p.description());
            }
            out.println();
            out.println("'vae4j models NAME' shows a model's settings.");
        } else {
            ModelProvider p;
            try {
                p = registry.provider(name);
            } catch (IllegalArgumentException e) {
                throw Flags.error(spec.commandLine(), e.getMessage());
            }
            out.println(p.name() + ": " + p.description());
            out.println();
            int width = p.options().stream().mapToInt(o -> o.name().length()).max().orElse(7);
            int defWidth = p.options().stream()
                    .mapToInt(o -> String.valueOf(o.defaultValue()).length()).max().orElse(7);
            width = Math.max(width, "SETTING".length());
            defWidth = Math.max(defWidth, "DEFAULT".length());
            int flagWidth = p.options().stream()
                    .mapToInt(o -> FLAGS.getOrDefault(o.name(), "--set " + o.name() + "=X")
                            .length()).max().orElse(4);
            String format = "%-" + (width + 2) + "s%-" + (defWidth + 2) + "s%-"
                    + (flagWidth + 2) + "s%s%n";
            out.printf(Locale.ROOT, format, "SETTING", "DEFAULT", "FLAG", "MEANING");
            for (ModelOption o : p.options()) {
                String flag = FLAGS.getOrDefault(o.name(), "--set " + o.name() + "=X");
                out.printf(Locale.ROOT, format, o.name(), value(o.defaultValue()), flag,
                        o.description());
            }
        }
        out.flush();
        return 0;
    }

    private static String value(Object v) {
        if (v instanceof List<?> l) {
            return String.join(",", l.stream().map(String::valueOf).toList());
        }
        return String.valueOf(v);
    }
}

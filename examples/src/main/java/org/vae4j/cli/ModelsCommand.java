package org.vae4j.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
            "Settings are given to 'vae4j train' with their flag where the model declares one"
                    + " (--latent, --hidden, --beta, ...) or with --set KEY=VALUE; each is checked"
                    + " against its type and range before any work."
        })
final class ModelsCommand implements Callable<Integer> {

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
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"SETTING", "TYPE", "DEFAULT", "RANGE", "FLAG", "MEANING"});
            addRows(rows, p.options(), "");
            int[] width = new int[5];
            for (String[] r : rows) {
                for (int i = 0; i < width.length; i++) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            StringBuilder format = new StringBuilder();
            for (int w : width) {
                format.append("%-").append(w + 2).append('s');
            }
            format.append("%s%n");
            for (String[] r : rows) {
                out.printf(Locale.ROOT, format.toString(), (Object[]) r);
            }
        }
        out.flush();
        return 0;
    }

    /** One row per option, nested fields after their parent as {@code parent.field}. */
    private static void addRows(List<String[]> rows, List<ModelOption> options, String prefix) {
        for (ModelOption o : options) {
            String name = prefix + o.name();
            String flag = prefix.isEmpty() && o.flag() != null ? o.flag()
                    : prefix.isEmpty() ? "--set " + o.name() + "=X" : "";
            String type = o.type().label();
            String def = o.type() == ModelOption.Type.OBJECT ? ""
                    : ModelOption.format(o.defaultValue());
            rows.add(new String[] {name, type, def, o.range(), flag, o.description()});
            if (o.type() == ModelOption.Type.OBJECT) {
                addRows(rows, o.fields(), name + ".");
            } else if (o.type() == ModelOption.Type.OBJECTS) {
                addRows(rows, o.fields(), name + "[].");
            }
        }
    }
}

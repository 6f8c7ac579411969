package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOption;
import org.vae4j.model.ModelProvider;
import org.vae4j.model.Models;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

class ModelFlagsTest {

    /** A command that takes model flags and nothing else. */
    @Command(name = "host")
    static final class HostCommand implements Runnable, ModelFlags.Host {
        @Override
        public void run() {
        }
    }

    @Command(name = "root", subcommands = HostCommand.class)
    static final class Root implements Runnable {
        @Override
        public void run() {
        }
    }

    /** A plug-in model that declares a flag of its own. */
    static final class WidgetProvider implements ModelProvider {
        static final ModelOption TEETH = ModelOption.integer("teeth", 12, "number of teeth")
                .between(1, 100).withFlag("--teeth");

        @Override
        public String name() {
            return "widget";
        }

        @Override
        public String description() {
            return "a model with a flag of its own";
        }

        @Override
        public List<ModelOption> options() {
            return List.of(TEETH);
        }

        @Override
        public Model create(ModelConfig config, Backend backend, Rng rng) {
            throw new UnsupportedOperationException("not built in this test");
        }
    }

    private static List<ModelProvider> providers() {
        List<ModelProvider> all = new java.util.ArrayList<>(Models.list());
        all.add(new WidgetProvider());
        return all;
    }

    /** The settings {@code args} give model {@code model} on a command with derived flags. */
    private static ModelConfig parse(String model, String... args) {
        CommandLine root = new CommandLine(new Root());
        ModelFlags.install(root, providers());
        String[] line = new String[args.length + 1];
        line[0] = "host";
        System.arraycopy(args, 0, line, 1, args.length);
        root.parseArgs(line);
        CommandLine host = root.getSubcommands().get("host");
        ModelProvider p = providers().stream().filter(x -> x.name().equals(model)).findFirst()
                .orElseThrow();
        return ModelFlags.toConfig(host, p, providers());
    }

    private static String error(String model, String... args) {
        return assertThrows(ParameterException.class, () -> parse(model, args)).getMessage();
    }

    @Test
    void everyDeclaredFlagBecomesAnOptionOfTheHostCommands() {
        CommandLine root = new CommandLine(new Root());
        ModelFlags.install(root, providers());
        var options = root.getSubcommands().get("host").getCommandSpec().optionsMap().keySet();
        for (String flag : new String[] {"--latent", "--hidden", "--beta", "--capacity-max",
            "--noise", "--noise-level", "--codebook-size", "--commitment", "--ema", "--set",
            "--teeth"}) {
            assertTrue(options.contains(flag), flag + " in " + options);
        }
    }

    @Test
    void theExistingFlagsGiveTheSameSettings() {
        assertEquals(ModelConfig.of(Map.of("latent", 8, "hidden", List.of(512, 256))),
                parse("vae", "--latent", "8", "--hidden", "512,256"));
        assertEquals(List.of(512, 256), parse("ae", "--hidden", "512", "--hidden", "256")
                .get("hidden"));
        ModelConfig beta = parse("beta-vae", "--capacity-max", "10");
        assertEquals("capacity", beta.get("objective"));
        assertEquals(10.0, beta.get("capacity-max"));
        assertEquals(ModelConfig.of(Map.of("noise", "gaussian", "noise-level", 0.2)),
                parse("dae", "--noise", "gaussian", "--noise-level", "0.2"));
        assertEquals(ModelConfig.of(Map.of("codebook-size", 16, "commitment", 0.5, "ema", true,
                "positions", 2)), parse("vq-vae", "--codebook-size", "16", "--commitment", "0.5",
                "--ema", "--set", "positions=2"));
        assertEquals(ModelConfig.of(Map.of("activation", "tanh", "variance", "learned")),
                parse("vae", "--set", "activation=tanh", "--set", "variance=learned"));
    }

    @Test
    void aPluginsFlagsComeFromItsDeclaredOptions() {
        assertEquals(ModelConfig.of(Map.of("teeth", 30)), parse("widget", "--teeth", "30"));
        assertEquals(ModelConfig.of(Map.of("latent", 8, "hidden", List.of(64))),
                parse("sparse-ae", "--latent", "8", "--hidden", "64"));
        assertEquals("--teeth does not apply to model 'vae' (it applies to: widget)",
                error("vae", "--teeth", "3"));
    }

    @Test
    void badFlagValuesAreRefusedNamingTheSettingAndTheRange() {
        assertEquals("vae: setting 'latent' must be a positive whole number, got 0",
                error("vae", "--latent", "0"));
        assertEquals("vq-vae: setting 'codebook-size' must be a whole number <= 65536, got"
                + " 100000", error("vq-vae", "--codebook-size", "100000"));
        assertEquals("beta-vae: setting 'beta' must be a number >= 0, got -1.0",
                error("beta-vae", "--beta", "-1"));
        assertEquals("ae: setting 'hidden' must be a list of whole numbers, each [1, 65536],"
                + " got [512, 0]", error("ae", "--hidden", "512,0"));
        assertEquals("--ema does not apply to model 'vae' (it applies to: vq-vae)",
                error("vae", "--ema"));
        assertTrue(error("beta-vae", "--beta", "2", "--capacity-max", "20")
                .startsWith("--beta and --capacity-max set 'objective' to different values"));
        assertTrue(error("beta-vae", "--capacity-max", "20", "--beta", "2")
                .startsWith("--beta and --capacity-max"), "the same message in either order");
        assertTrue(error("vae", "--latent", "8", "--set", "latent=16")
                .contains("'latent' is given twice"));
        assertEquals("dae: setting 'noise-level' must be a number >= 0, got -0.5",
                error("dae", "--set", "noise-level=-0.5"));
    }

    @Test
    void modelsNameListsTypeRangeAndTheDeclaredFlag() {
        Cli.Run r = Cli.run("models", "sparse-ae");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("latent") && l.contains("int")
                && l.contains("64") && l.contains("[1, 65536]") && l.contains("--latent")),
                r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("sparsity") && l.contains(">= 0")
                && l.contains("--set sparsity=")), r.out());
        Cli.Run train = Cli.run("train", "--help");
        assertTrue(train.out().contains("--capacity-max"), train.out());
    }
}

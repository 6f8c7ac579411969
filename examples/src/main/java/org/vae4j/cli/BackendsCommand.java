package org.vae4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Lists the backends on the class path, whether each can run here, and which one is chosen. */
@Command(name = "backends",
        description = {
            "List the backends on the class path, whether each is available, and which one would be used.",
            "Choose one with --backend on a command, -Dvae4j.backend=NAME or VAE4J_BACKEND=NAME.",
            "With --check, also test every available backend against the reference backend."
        })
final class BackendsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    HelpOption help;

    @CommandLine.Option(names = "--check",
            description = "Run a quick self-test of every available backend against the reference"
                    + " backend; exit non-zero if one disagrees beyond tolerance.")
    boolean check;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Backends.Info> infos = Backends.list();
        Backends.Choice choice = null;
        String problem = null;
        try {
            choice = Backends.choose(null);
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        out.printf("%-12s %-9s %s%n", "BACKEND", "PRIORITY", "STATUS");
        for (Backends.Info info : infos) {
            String mark = choice != null && choice.name().equals(info.name())
                    ? "   <- chosen (" + choice.source() + ")" : "";
            out.printf("%-12s %-9d %s%s%n", info.name(), info.priority(), info.availability(), mark);
        }
        out.flush();
        if (problem != null) {
            spec.commandLine().getErr().println("error: " + problem);
            return 1;
        }
        if (check) {
            List<Backend> available = infos.stream().filter(i -> i.availability().available())
                    .map(i -> Backends.get(i.name())).toList();
            out.println();
            return new BackendSelfCheck().run(available, out);
        }
        return 0;
    }
}

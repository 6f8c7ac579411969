package org.vae4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.KernelFamily;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Lists the backends on the class path, whether each can run here, which one is chosen, and which
 * kernel families each available backend runs natively (the others run as composites).
 */
@Command(name = "backends",
        description = {
            "List the backends on the class path, whether each is available, and which one would be used.",
            "For each available backend, list the kernel families it runs natively; the others run"
                    + " as composites of the core primitives (slower, same results).",
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
        out.println();
        out.printf("%-12s %s%n", "BACKEND", "KERNEL FAMILIES");
        for (Backends.Info info : infos) {
            if (info.availability().available()) {
                String families;
                try {
                    families = families(Backends.get(info.name()));
                } catch (RuntimeException e) {
                    families = "could not start: " + e.getMessage();
                }
                out.printf("%-12s %s%n", info.name(), families);
            }
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

    /**
     * E.g. {@code native core, layer, optimizer; composite activation, loss, reduction}; a
     * declared family that leaves kernels to their definitions (a kernel newer than the backend)
     * names them, e.g. {@code layer (linearRelu composite)}.
     */
    static String families(Backend backend) {
        Set<KernelFamily> own = backend.nativeFamilies();
        List<String> natively = new ArrayList<>();
        List<String> composite = new ArrayList<>();
        for (KernelFamily f : KernelFamily.values()) {
            if (!own.contains(f)) {
                composite.add(f.label());
                continue;
            }
            List<String> left = f.compositeKernels(backend.installedKernels().family(f));
            natively.add(f.label() + (left.isEmpty() ? ""
                    : " (" + String.join(", ", left) + " composite)"));
        }
        return "native " + String.join(", ", natively)
                + (composite.isEmpty() ? "" : "; composite " + String.join(", ", composite));
    }
}

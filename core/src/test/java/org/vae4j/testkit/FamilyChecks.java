package org.vae4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.vae4j.tensor.AdamStep;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackwardKernels;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.KernelFamily;
import org.vae4j.tensor.Kernels;
import org.vae4j.tensor.OpNames;
import org.vae4j.tensor.OpProfiler;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * Conformance of the kernel families a backend declares: each declared family is present, of its
 * interface and complete (no kernel left to the interface's default, the composite), and each of
 * its ops really runs natively, as one kernel call, while each op of a
 * family the backend leaves out runs as its composite (so {@code vae4j backends}, which lists the
 * native families, tells the truth). Every kernel of every optional family has a probe here, so a
 * kernel added to a family without a probe fails {@link #everyKernelOfEveryFamilyHasAProbe}.
 * That the fused kernels agree with their definitions is {@link CompositeChecks}' business.
 */
public abstract class FamilyChecks extends BackendChecks {

    private static final Shape S = Shape.of(2, 3);

    /** One call of an optional family's op on small non-empty inputs, named as profiles name it. */
    private record Probe(String op, Consumer<Backend> run) {
    }

    private static final Map<KernelFamily, List<Probe>> PROBES = probes();

    private static Map<KernelFamily, List<Probe>> probes() {
        Map<KernelFamily, List<Probe>> m = new EnumMap<>(KernelFamily.class);
        m.put(KernelFamily.LAYER, List.of(
                new Probe(OpNames.LINEAR, be -> be.linear(ones(be, S), ones(be, Shape.of(3, 4)),
                        ones(be, Shape.of(4)))),
                new Probe(OpNames.LINEAR_RELU, be -> be.linearRelu(ones(be, S),
                        ones(be, Shape.of(3, 4)), ones(be, Shape.of(4))))));
        m.put(KernelFamily.ACTIVATION, List.of(
                new Probe(OpNames.RELU_BACKWARD,
                        be -> BackwardKernels.reluBackward(be, ones(be, S), ones(be, S)))));
        m.put(KernelFamily.LOSS, List.of(
                new Probe(OpNames.BCE_WITH_LOGITS_SUM,
                        be -> be.bceWithLogitsSum(ones(be, S), ones(be, S))),
                new Probe(OpNames.BCE_WITH_LOGITS_BACKWARD,
                        be -> BackwardKernels.bceWithLogitsBackward(be, ones(be, S), ones(be, S),
                                ones(be, Shape.scalar()))),
                new Probe(OpNames.GAUSSIAN_KL, be -> be.gaussianKl(ones(be, S), ones(be, S)))));
        m.put(KernelFamily.REDUCTION, List.of(
                new Probe(OpNames.LOG_SUM_EXP, be -> be.logSumExp(ones(be, S), 1, false)),
                new Probe(OpNames.SOFTMAX, be -> be.softmax(ones(be, S), 1)),
                new Probe(OpNames.SQUARED_DISTANCES,
                        be -> be.squaredDistances(ones(be, S), ones(be, Shape.of(4, 3))))));
        m.put(KernelFamily.OPTIMIZER, List.of(
                new Probe(OpNames.ADAM_UPDATE, FamilyChecks::adamOutsideAnyScope)));
        Shape image = Shape.of(2, 3, 6, 6);
        Shape weight = Shape.of(4, 3, 3, 3);
        ConvSpec conv = ConvSpec.of(2, 1);
        Shape convOut = conv.outputShape(image, weight);
        PoolSpec pool = PoolSpec.of(2, 2);
        Shape poolOut = pool.outputShape(OpNames.MAX_POOL2D, image);
        m.put(KernelFamily.CONVOLUTION, List.of(
                new Probe(OpNames.CONV2D, be -> be.conv2d(ones(be, image), ones(be, weight), conv)),
                new Probe(OpNames.CONV2D_BACKWARD_INPUT, be -> BackwardKernels.conv2dBackwardInput(
                        be, ones(be, convOut), ones(be, weight), conv, image)),
                new Probe(OpNames.CONV2D_BACKWARD_FILTER, be -> BackwardKernels
                        .conv2dBackwardFilter(be, ones(be, image), ones(be, convOut), conv,
                                weight)),
                new Probe(OpNames.MAX_POOL2D, be -> be.maxPool2d(ones(be, image), pool)),
                new Probe(OpNames.MAX_POOL2D_BACKWARD, be -> BackwardKernels.maxPool2dBackward(
                        be, ones(be, image), ones(be, poolOut), pool)),
                new Probe(OpNames.AVG_POOL2D, be -> be.avgPool2d(ones(be, image), pool)),
                new Probe(OpNames.AVG_POOL2D_BACKWARD, be -> BackwardKernels.avgPool2dBackward(
                        be, ones(be, poolOut), pool, image))));
        return m;
    }

    /** A tensor made before profiling starts: the probe's inputs are not part of its profile. */
    private static Tensor ones(Backend be, Shape s) {
        return INPUTS.get().make(be, s);
    }

    /** Inputs of the probe being prepared: made untimed, then handed to the timed call. */
    private static final ThreadLocal<InputCache> INPUTS = ThreadLocal.withInitial(InputCache::new);

    /**
     * Collects the inputs a probe asks for on a first, untimed run, and hands the same tensors
     * out again on the timed run, so that only the op itself runs under the profiler.
     */
    private static final class InputCache {
        final List<Tensor> made = new ArrayList<>();
        int next;
        boolean replay;

        Tensor make(Backend be, Shape s) {
            if (replay) {
                return made.get(next++);
            }
            float[] v = new float[s.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = 0.25f + 0.5f * i;
            }
            Tensor t = be.fromArray(v, s);
            made.add(t);
            return t;
        }
    }

    /**
     * Adam on a parameter and moments no scope tracks, so the kernel may update them in place
     * (the optimizer's case); closed again afterwards.
     */
    private static void adamOutsideAnyScope(Backend be) {
        Tensor p = ones(be, S);
        Tensor g = ones(be, S);
        Tensor m = ones(be, S);
        Tensor v = ones(be, S);
        AdamStep.Result r = be.adamUpdate(p, g, m, v, AdamStep.of(1e-3, 0.9, 0.999, 1e-8, 1));
        if (INPUTS.get().replay) {
            // the run under the profiler, outside any scope: the results are the caller's
            r.param().close();
            r.m().close();
            r.v().close();
        }
    }

    /** The ops a probe ran under a profiler, by name. */
    private Set<String> profile(Probe probe) {
        Backend be = backend();
        InputCache inputs = new InputCache();
        INPUTS.set(inputs);
        List<Tensor> untracked = new ArrayList<>();
        try {
            try (TensorScope scope = be.newScope()) {
                probe.run().accept(be); // makes the inputs; its results close with the scope
                for (Tensor t : inputs.made) {
                    untracked.add(TensorScope.untrack(t));
                }
            }
            inputs.replay = true;
            OpProfiler profiler = new OpProfiler();
            be.setProfiler(profiler);
            try (TensorScope scope = be.newScope()) {
                probe.run().accept(be);
            } finally {
                be.setProfiler(null);
            }
            Set<String> ops = new TreeSet<>();
            profiler.times().forEach(t -> ops.add(t.op()));
            return ops;
        } finally {
            INPUTS.remove();
            untracked.forEach(Tensor::close);
        }
    }

    @Test
    void everyDeclaredFamilyIsPresentAndOfItsInterface() {
        Set<KernelFamily> declared = backend().nativeFamilies();
        Kernels installed = backend().installedKernels();
        assertTrue(declared.contains(KernelFamily.CORE), backend().name() + " has no core family");
        for (KernelFamily f : KernelFamily.values()) {
            Object kernels = installed.family(f);
            if (declared.contains(f)) {
                assertNotNull(kernels, backend().name() + " declares " + f.label()
                        + " but installed no kernels for it");
                assertTrue(f.kernels().isInstance(kernels), backend().name() + ": the "
                        + f.label() + " kernels " + kernels.getClass().getName() + " are not "
                        + f.kernels().getSimpleName());
            } else {
                assertNull(kernels, backend().name() + " installed " + f.label()
                        + " kernels but does not list the family as native");
            }
        }
    }

    @Test
    void everyDeclaredFamilyImplementsEachOfItsKernels() {
        for (KernelFamily f : backend().nativeFamilies()) {
            List<String> left = f.compositeKernels(backend().installedKernels().family(f));
            assertTrue(left.isEmpty(), backend().name() + " declares the " + f.label()
                    + " family but leaves " + left + " to the composites: implement them (or"
                    + " leave the family out)");
        }
    }

    @Test
    void everyKernelOfEveryFamilyHasAProbe() {
        for (KernelFamily f : KernelFamily.values()) {
            if (!f.optional()) {
                continue;
            }
            List<String> probed = PROBES.getOrDefault(f, List.of()).stream().map(Probe::op)
                    .toList();
            for (Method m : f.kernels().getMethods()) {
                assertTrue(probed.contains(m.getName()), "FamilyChecks has no probe for "
                        + f.label() + "'s kernel " + m.getName());
            }
            assertEquals(f.kernels().getMethods().length, probed.size(), f.label());
        }
    }

    @Test
    void everyOpOfADeclaredFamilyRunsAsOneNativeKernel() {
        for (KernelFamily f : backend().nativeFamilies()) {
            for (Probe probe : PROBES.getOrDefault(f, List.of())) {
                assertEquals(Set.of(probe.op()), profile(probe), backend().name() + " declares "
                        + f.label() + " natively, but " + probe.op()
                        + " ran primitives: it fell back to its composite");
            }
        }
    }

    @Test
    void everyOpOfAFamilyLeftOutRunsAsItsComposite() {
        for (KernelFamily f : KernelFamily.values()) {
            if (!f.optional() || backend().nativeFamilies().contains(f)) {
                continue;
            }
            for (Probe probe : PROBES.get(f)) {
                Set<String> ops = profile(probe);
                assertTrue(ops.contains(probe.op()), probe.op() + " not profiled: " + ops);
                assertFalse(ops.size() == 1, backend().name() + " does not declare " + f.label()
                        + ", yet " + probe.op() + " ran no primitives: " + ops);
            }
        }
    }
}

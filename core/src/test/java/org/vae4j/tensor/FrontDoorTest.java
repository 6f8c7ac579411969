package org.vae4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The front door of {@link Backend}: it dispatches to a declared family or falls back to the
 * composite, checks what every kernel (fused or not) returns, and profiling, forced composites and
 * test doubles are wrappers around the installed kernels.
 */
class FrontDoorTest {

    /** A backend of the reference's core kernels plus whatever optional families a test gives. */
    private static final class TestBackend extends Backend {
        TestBackend(Function<Backend, Kernels> kernels) {
            super("test");
            install(kernels.apply(this));
        }
    }

    /** Layer kernels that count their calls and compute the definition. */
    private static final class CountingLayer implements LayerKernels {
        final AtomicInteger calls = new AtomicInteger();
        private final Backend be;

        CountingLayer(Backend be) {
            this.be = be;
        }

        @Override
        public Tensor linear(Tensor x, Tensor w, Tensor b) {
            calls.incrementAndGet();
            return Composites.linear(be, x, w, b);
        }

        @Override
        public Tensor linearRelu(Tensor x, Tensor w, Tensor b) {
            calls.incrementAndGet();
            return Composites.linearRelu(be, x, w, b);
        }
    }

    private static CountingLayer counting;

    private static Kernels withCountingLayer(Backend be) {
        counting = new CountingLayer(be);
        return ReferenceBackend.kernels(be).withLayer(counting);
    }

    @Test
    void theReferenceRunsTheCoreFamilyAloneAndEveryCompositeAsItsDefinition() {
        assertEquals(Set.of(KernelFamily.CORE), new ReferenceBackend().nativeFamilies());
    }

    @Test
    void aDeclaredFamilyRunsOnNonEmptyInputsAndTheDefinitionOnEmptyOnes() {
        Backend be = new TestBackend(FrontDoorTest::withCountingLayer);
        assertEquals(Set.of(KernelFamily.CORE, KernelFamily.LAYER), be.nativeFamilies());
        Tensor y = be.linear(be.ones(Shape.of(2, 3)), be.ones(Shape.of(3, 4)),
                be.ones(Shape.of(4)));
        assertArrayEquals(new float[] {4, 4, 4, 4, 4, 4, 4, 4}, y.toArray());
        assertEquals(1, counting.calls.get());
        Tensor empty = be.linearRelu(be.ones(Shape.of(0, 3)), be.ones(Shape.of(3, 4)),
                be.ones(Shape.of(4)));
        assertEquals(Shape.of(0, 4), empty.shape());
        assertEquals(1, counting.calls.get(), "a fused kernel must never see an empty input");
    }

    @Test
    void aKernelADeclaredFamilyLeavesToItsDefaultRunsAsTheCompositeAndIsNamed() {
        // A backend that predates linearRelu: it implements linear only.
        AtomicInteger linearCalls = new AtomicInteger();
        LayerKernels linearOnly = new LayerKernels() {
            @Override
            public Tensor linear(Tensor x, Tensor w, Tensor b) {
                linearCalls.incrementAndGet();
                return Composites.linear(x.backend(), x, w, b);
            }
        };
        assertEquals(List.of("linearRelu"), KernelFamily.LAYER.compositeKernels(linearOnly));
        assertEquals(List.of(), KernelFamily.LAYER.compositeKernels(new CountingLayer(null)));
        assertEquals(List.of("linear", "linearRelu"),
                KernelFamily.LAYER.compositeKernels(CompositeKernels.INSTANCE));
        Backend be = new TestBackend(b -> ReferenceBackend.kernels(b).withLayer(linearOnly));
        Tensor x = be.fromArray(new float[] {1, -2, 3, -4, 5, -6}, 2, 3);
        Tensor w = be.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor b = be.fromArray(new float[] {0.5f, -30f}, 2);
        Backend reference = new ReferenceBackend();
        float[] expected = Composites.linearRelu(reference, Tensors.copy(x, reference),
                Tensors.copy(w, reference), Tensors.copy(b, reference)).toArray();
        assertArrayEquals(expected, be.linearRelu(x, w, b).toArray());
        // the definition of linearRelu runs linear through the front door, so the kernel ran
        assertEquals(1, linearCalls.get());
    }

    @Test
    void forcingCompositesDeclaresNoOptionalFamily() {
        System.setProperty("vae4j.forceComposite", "true");
        Backend be;
        try {
            be = new TestBackend(FrontDoorTest::withCountingLayer);
        } finally {
            System.clearProperty("vae4j.forceComposite");
        }
        assertTrue(be.forcesComposite());
        assertEquals(Set.of(KernelFamily.CORE), be.nativeFamilies());
        be.linear(be.ones(Shape.of(2, 3)), be.ones(Shape.of(3, 4)), be.ones(Shape.of(4)));
        assertEquals(0, counting.calls.get());
    }

    @Test
    void everyCompositeChecksTheShapeItsKernelReturns() {
        // Fused kernels that return their first input: the wrong shape for every op below.
        LayerKernels layer = new LayerKernels() {
            @Override
            public Tensor linear(Tensor x, Tensor w, Tensor b) {
                return x;
            }

            @Override
            public Tensor linearRelu(Tensor x, Tensor w, Tensor b) {
                return x;
            }
        };
        ReductionKernels reduction = new ReductionKernels() {
            @Override
            public Tensor logSumExp(Tensor x, int axis, boolean keepDims) {
                return x;
            }

            @Override
            public Tensor softmax(Tensor x, int axis) {
                return x.backend().reshape(x, Shape.of(x.size()));
            }

            @Override
            public Tensor squaredDistances(Tensor x, Tensor codes) {
                return x;
            }
        };
        Backend be = new TestBackend(b -> ReferenceBackend.kernels(b).withLayer(layer)
                .withReduction(reduction));
        Tensor x = be.ones(Shape.of(2, 3));
        Tensor w = be.ones(Shape.of(3, 4));
        Tensor bias = be.ones(Shape.of(4));
        assertBackendBug("linear returned shape (2x3), expected (2x4)",
                () -> be.linear(x, w, bias));
        assertBackendBug("linearRelu returned shape (2x3), expected (2x4)",
                () -> be.linearRelu(x, w, bias));
        assertBackendBug("logSumExp returned shape (2x3), expected (2)",
                () -> be.logSumExp(x, 1, false));
        assertBackendBug("softmax returned shape (6), expected (2x3)", () -> be.softmax(x, 1));
        assertBackendBug("squaredDistances returned shape (2x3), expected (2x4)",
                () -> be.squaredDistances(x, be.ones(Shape.of(4, 3))));
    }

    @Test
    void aKernelReturningAnotherBackendsTensorIsABackendBug() {
        Backend other = new ReferenceBackend();
        Backend be = new TestBackend(b -> ReferenceBackend.kernels(b).withCore(
                new ForwardingCoreKernels(ReferenceBackend.kernels(b).core()) {
                    @Override
                    public Tensor unary(UnaryOp op, Tensor x) {
                        return other.ones(x.shape());
                    }
                }));
        assertBackendBug("exp returned a tensor of the reference backend",
                () -> be.unary(UnaryOp.EXP, be.ones(Shape.of(2))));
    }

    @Test
    void aWrappedBackendsTensorsReportTheWrapper() {
        Backend be = new TestBackend(b -> ReferenceBackend.kernels(b).withCore(
                new ForwardingCoreKernels(ReferenceBackend.kernels(b).core()) {
                }));
        Tensor y = be.add(be.fromArray(new float[] {1, 2}, 2), be.scalar(1));
        assertSame(be, y.backend());
        assertArrayEquals(new float[] {2, 3}, y.toArray());
    }

    @Test
    void installingTwiceOrNotAtAllFailsClearly() {
        Backend bare = new Backend("bare") {
        };
        assertTrue(assertThrows(IllegalStateException.class, bare::nativeFamilies).getMessage()
                .contains("installed no kernels"));
        Backend be = new TestBackend(ReferenceBackend::kernels);
        assertTrue(assertThrows(IllegalStateException.class,
                () -> be.install(ReferenceBackend.kernels(be))).getMessage()
                .contains("already installed"));
    }

    @Test
    void profilingIsADecoratorThatNamesEveryOpAndChangesNoResult() {
        Backend be = new ReferenceBackend();
        Tensor x = be.fromArray(new float[] {1, -2, 3, 0.5f, 4, -1}, 2, 3);
        Tensor w = be.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor b = be.fromArray(new float[] {0.5f, -0.5f}, 2);
        float[] plain = be.softmax(be.linear(x, w, b), 1).toArray();

        OpProfiler profiler = new OpProfiler();
        be.setProfiler(profiler);
        float[] profiled;
        try {
            assertSame(profiler, be.profiler());
            profiled = be.softmax(be.linear(x, w, b), 1).toArray();
        } finally {
            be.setProfiler(null);
        }
        assertArrayEquals(plain, profiled);
        Set<String> ops = new TreeSet<>();
        profiler.times().forEach(t -> ops.add(t.op()));
        assertTrue(ops.containsAll(Set.of("linear", "matmul", "add", "softmax", "exp", "toArray")),
                ops.toString());
        long calls = profiler.times().stream().mapToLong(OpProfiler.OpTime::calls).sum();
        be.add(x, x);
        assertEquals(calls, profiler.times().stream().mapToLong(OpProfiler.OpTime::calls).sum(),
                "ops after setProfiler(null) are not timed");
        assertFalse(profiler.totalNanos() < 0);
    }

    private static void assertBackendBug(String expected, Executable op) {
        String message = assertThrows(IllegalStateException.class, op).getMessage();
        assertTrue(message.contains("test backend bug: " + expected), message);
    }
}

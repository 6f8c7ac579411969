package org.vae4j.autodiff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * The reverse sweep: visits the graph in reverse topological order, applying the rules.
 *
 * <p>It counts, for every forward value, the rules still to run that may read it (a node's rule
 * reads its own value and its inputs' values). The counts are kept per tensor, not per
 * variable, because a {@linkplain Variable#detach detached} constant shares its tensor with the
 * variable it was cut from, and rules reading the constant may run after the variable's own.
 * Two things wait for a count to reach zero:
 * <ul>
 *   <li>a leaf is reported complete ({@code onLeaf}, where an optimizer may update it in place)
 *       only once no remaining rule reads its tensor;
 *   <li>with {@code freeValues}, a value a recorded op computed is closed at once, unless it is
 *       the root's or {@linkplain Variable#retainValue retained}: a step's activations then live
 *       only as long as the backward pass needs them, instead of until the step's scope closes.
 * </ul>
 */
final class Backprop {

    private Backprop() {
    }

    /**
     * @param onLeaf     called with each leaf once its gradient for this pass is complete and no
     *                   rule still to run reads its value
     * @param freeValues whether to close forward values after their last use (see above)
     */
    static void run(Variable root, Consumer<? super Variable> onLeaf, boolean freeValues) {
        if (root.value().size() != 1) {
            throw new IllegalStateException("backward: expects a scalar (one element), got shape "
                    + root.shape() + "; reduce it first, e.g. with sum() or mean()");
        }
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: the value depends on no variable that"
                    + " requires a gradient (was it computed under NoGrad, from constants only,"
                    + " or detached?)");
        }
        Backend be = root.backend();
        List<Variable> order = topologicalOrder(root);
        Uses uses = new Uses(order, root, freeValues);
        Map<Variable, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, be.ones(root.shape()));
        for (Variable v : order) {
            Tensor g = grads.remove(v);
            if (v.isLeaf()) {
                if (g != null) {
                    v.accumulateGrad(g);
                    uses.leafComplete(v, onLeaf);
                }
                continue;
            }
            if (g != null) {
                Tensor[] inputGrads;
                // The rules' temporaries die here; only the input gradients outlive them.
                try (TensorScope scope = be.newScope()) {
                    inputGrads = Gradients.inputGradients(v, g);
                    for (Tensor gi : inputGrads) {
                        if (gi != null) {
                            scope.keep(gi);
                        }
                    }
                }
                for (int i = 0; i < inputGrads.length; i++) {
                    if (inputGrads[i] != null) {
                        grads.merge(v.parent(i), inputGrads[i], be::add);
                    }
                }
            }
            uses.ruleDone(v, onLeaf);
        }
        uses.reportRest(onLeaf);
    }

    /** The rules still to run that read each tensor, and what waits for a count to end. */
    private static final class Uses {
        private final Map<Tensor, int[]> remaining = new IdentityHashMap<>();
        private final Set<Tensor> freeable;
        private final Map<Tensor, List<Variable>> waitingLeaves = new IdentityHashMap<>();
        private final List<Variable> waitingOrder = new ArrayList<>();

        Uses(List<Variable> order, Variable root, boolean freeValues) {
            freeable = freeValues ? Collections.newSetFromMap(new IdentityHashMap<>()) : null;
            for (Variable v : order) {
                if (v.isLeaf()) {
                    continue;
                }
                count(v.value());
                for (int i = 0; i < v.parentCount(); i++) {
                    count(v.parent(i).value());
                }
                if (freeable != null && v != root && !v.isValueRetained()) {
                    freeable.add(v.value());
                }
            }
            if (freeable != null) {
                // never close what a leaf or a retained variable also holds
                for (Variable v : order) {
                    if (v.isLeaf() || v.isValueRetained()) {
                        freeable.remove(v.value());
                    }
                }
                freeable.remove(root.value());
            }
        }

        private void count(Tensor t) {
            remaining.computeIfAbsent(t, k -> new int[1])[0]++;
        }

        /** {@code v}'s rule has run (or had no gradient to run on): its reads are done. */
        void ruleDone(Variable v, Consumer<? super Variable> onLeaf) {
            release(v.value(), onLeaf);
            for (int i = 0; i < v.parentCount(); i++) {
                release(v.parent(i).value(), onLeaf);
            }
        }

        private void release(Tensor t, Consumer<? super Variable> onLeaf) {
            int[] n = remaining.get(t);
            if (--n[0] > 0) {
                return;
            }
            remaining.remove(t);
            List<Variable> leaves = waitingLeaves.remove(t);
            if (leaves != null) {
                for (Variable leaf : leaves) {
                    waitingOrder.remove(leaf);
                    onLeaf.accept(leaf);
                }
            }
            if (freeable != null && freeable.remove(t)) {
                t.close();
            }
        }

        /** Reports {@code leaf} now, or once the last rule reading its tensor has run. */
        void leafComplete(Variable leaf, Consumer<? super Variable> onLeaf) {
            if (remaining.containsKey(leaf.value())) {
                waitingLeaves.computeIfAbsent(leaf.value(), k -> new ArrayList<>(1)).add(leaf);
                waitingOrder.add(leaf);
            } else {
                onLeaf.accept(leaf);
            }
        }

        /** Leaves still waiting when the pass ends (nothing reads them any more). */
        void reportRest(Consumer<? super Variable> onLeaf) {
            for (Variable leaf : waitingOrder) {
                onLeaf.accept(leaf);
            }
        }
    }

    /** Every variable requiring a gradient that {@code root} depends on, outputs first. */
    private static List<Variable> topologicalOrder(Variable root) {
        List<Variable> postOrder = new ArrayList<>();
        Set<Variable> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Variable> stack = new ArrayDeque<>();
        Deque<Integer> next = new ArrayDeque<>();
        stack.push(root);
        next.push(0);
        visited.add(root);
        while (!stack.isEmpty()) {
            Variable v = stack.peek();
            int i = next.pop();
            if (i < v.parentCount()) {
                next.push(i + 1);
                Variable p = v.parent(i);
                if (p.requiresGrad() && visited.add(p)) {
                    stack.push(p);
                    next.push(0);
                }
            } else {
                stack.pop();
                postOrder.add(v);
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}

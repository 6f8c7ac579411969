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

/** The reverse sweep: visits the graph in reverse topological order, applying the rules. */
final class Backprop {

    private Backprop() {
    }

    /**
     * @param onLeaf called with each leaf once its gradient for this pass is complete: every
     *               rule that reads the leaf's value has run by then
     */
    static void run(Variable root, Consumer<? super Variable> onLeaf) {
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
        Map<Variable, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, be.ones(root.shape()));
        for (Variable v : topologicalOrder(root)) {
            Tensor g = grads.remove(v);
            if (g == null) {
                continue;
            }
            if (v.isLeaf()) {
                v.accumulateGrad(g);
                onLeaf.accept(v);
                continue;
            }
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

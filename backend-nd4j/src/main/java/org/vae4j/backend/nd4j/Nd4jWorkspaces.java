package org.vae4j.backend.nd4j;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;
import org.vae4j.tensor.TensorScope;

/**
 * One ND4J workspace per open {@link TensorScope}: the memory scheme of the ND4J backend.
 *
 * <p>Freeing each result on its own ({@code INDArray.close()}) leaves the process growing over a
 * long loop; a workspace per scope keeps it flat because a training step's arrays are carved out
 * of one block that is reset, not freed, when the step's scope closes, and reused by the next
 * step. Workspaces are per thread and nest: the scope at depth {@code d} on a thread uses the
 * workspace {@code vae4j-scope-d}, so one block per nesting depth is kept and reused.
 *
 * <p>A tensor that outlives its scope (kept, or untracked by its owner) is moved before the
 * workspace resets: into the enclosing scope's workspace, or, for the outermost scope, into memory
 * of its own that {@link Nd4jTensor#release()} frees deterministically.
 *
 * <p>What no scope can free: ND4J gives every array, even one in a workspace, a small native
 * wrapper (and every op some Java garbage) that only garbage collection releases, about 0.3 to 1
 * KB of native memory per array. With a large heap collections are rare, the wrappers pile up and
 * the process grows by gigabytes over a long run. So after every {@code collectEvery} tensors the
 * backend asks for a collection when the outermost scope closes (between training steps), which
 * bounds the process (a small MLP: 160 MB after warm-up, 330 MB after 20,000 steps, against
 * 1.3 GB without) for one full collection per {@code collectEvery} tensors;
 * {@code vae4j.nd4j.gcEveryTensors=0} turns it off for programs that bound their heap themselves.
 */
final class Nd4jWorkspaces {

    private static final String PREFIX = "vae4j-scope-";

    private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .initialSize(0)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .overallocationLimit(0.2)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policySpill(SpillPolicy.REALLOCATE)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .build();

    /** An open scope's workspace and the tensors created in it. */
    private static final class Frame {
        final TensorScope scope;
        final String id;
        final MemoryWorkspace workspace;
        final List<Nd4jTensor> tensors = new ArrayList<>();

        Frame(TensorScope scope, String id, MemoryWorkspace workspace) {
            this.scope = scope;
            this.id = id;
            this.workspace = workspace;
        }
    }

    /**
     * Open scopes per thread, shared by every ND4J backend instance: ND4J's workspaces are per
     * thread and named by depth, so two instances must not both think they are at depth 0.
     */
    private static final ThreadLocal<Deque<Frame>> FRAMES =
            ThreadLocal.withInitial(ArrayDeque::new);
    private final long collectEvery;
    private final AtomicLong sinceCollection = new AtomicLong();

    /** {@code collectEvery}: tensors between requested collections; 0 never asks. */
    Nd4jWorkspaces(long collectEvery) {
        this.collectEvery = collectEvery;
    }

    void opened(TensorScope scope) {
        Deque<Frame> stack = FRAMES.get();
        String id = PREFIX + stack.size();
        MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, id);
        stack.push(new Frame(scope, id, ws));
    }

    void closed(TensorScope scope) {
        Deque<Frame> stack = FRAMES.get();
        Frame frame = stack.peek();
        if (frame == null || frame.scope != scope) {
            // Scopes close innermost first (TensorScope guarantees it), so this is a bug.
            throw new IllegalStateException("nd4j backend: scope closed out of order");
        }
        stack.pop();
        Frame parent = stack.peek();
        for (Nd4jTensor t : frame.tensors) {
            if (!t.isClosed() && t.inWorkspace()) {
                t.moveOutOfWorkspace(parent == null ? null : parent.id);
                if (parent != null && t.inWorkspace()) {
                    parent.tensors.add(t);
                }
            }
        }
        frame.tensors.clear();
        frame.workspace.close();
        if (parent == null) {
            collectIfDue();
        }
    }

    /** Notes a new tensor so that it can be moved out if it outlives its scope. */
    void created(Nd4jTensor t) {
        sinceCollection.incrementAndGet();
        Frame frame = FRAMES.get().peek();
        if (frame == null) {
            collectIfDue();
        } else if (t.inWorkspace()) {
            frame.tensors.add(t);
        }
    }

    private void collectIfDue() {
        if (collectEvery > 0 && sinceCollection.get() >= collectEvery) {
            sinceCollection.set(0);
            System.gc();
        }
    }

    /** How many scopes of this backend are open on this thread. */
    int depth() {
        return FRAMES.get().size();
    }
}

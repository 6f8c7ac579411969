package org.vae4j.trace;

import java.util.List;

/**
 * A recorded graph: every node in the order it was made (inputs before their users), the graph
 * inputs and the output. {@code batch} is the leading dimension the inputs had while tracing;
 * in a batched node's shape it stands for the dynamic batch size.
 */
public record Trace(String function, List<TraceNode> nodes, List<TraceNode> inputs,
        TraceNode output, int batch) {
}

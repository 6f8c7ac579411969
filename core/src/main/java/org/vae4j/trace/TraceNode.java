package org.vae4j.trace;

import java.util.List;
import java.util.Map;
import org.vae4j.tensor.Shape;

/**
 * One value of a traced graph: an SPI primitive applied to earlier nodes, a graph input, or a
 * constant (a parameter uploaded when the model was loaded, or a filled tensor).
 *
 * @param id the node's position in {@link Trace#nodes()}
 * @param op the primitive: {@code input}, {@code labels}, {@code constant}, or a core kernel's
 *     name ({@code unary}, {@code binary}, {@code reduce}, {@code argReduce}, {@code matmul},
 *     {@code reshape}, {@code transpose}, {@code slice}, {@code stridedSlice}, {@code pad},
 *     {@code broadcastTo}, {@code concat}, {@code oneHot})
 * @param inputs the nodes it reads
 * @param attrs the primitive's parameters (enums, int arrays, floats, booleans)
 * @param shape the shape it had at the traced batch size
 * @param batched whether it depends on a graph input, so that its leading dimension is the batch
 * @param data the values of a node that does not depend on the inputs, row-major; null for
 *     batched nodes
 */
public record TraceNode(int id, String op, List<TraceNode> inputs, Map<String, Object> attrs,
        Shape shape, boolean batched, float[] data) {

    /** An attribute by name, cast to the expected type. */
    @SuppressWarnings("unchecked")
    public <T> T attr(String name) {
        return (T) attrs.get(name);
    }
}

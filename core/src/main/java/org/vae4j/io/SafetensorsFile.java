package org.vae4j.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of a safetensors file: named tensors in the order of the file's header, and the
 * string-to-string {@code __metadata__}.
 */
public record SafetensorsFile(Map<String, TensorData> tensors, Map<String, String> metadata) {

    public SafetensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** A metadata value, or null when absent. */
    public String meta(String key) {
        return metadata.get(key);
    }
}

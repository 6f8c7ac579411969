package org.vae4j.train;

import org.vae4j.model.ModelConfig;

/** What a weights file says about its model: the registry type name and the config. */
public record ModelInfo(String typeName, ModelConfig config) {
}

package org.vae4j.model;

/**
 * One setting a model type understands: its name in {@link ModelConfig}, its default and what it
 * means. The CLI lists them and rejects settings no option names.
 */
public record ModelOption(String name, Object defaultValue, String description) {
}

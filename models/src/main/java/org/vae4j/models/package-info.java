/**
 * The built-in models, each written once against the tensor SPI and found by name through
 * {@link org.vae4j.model.ModelProvider}: {@code ae} and {@code dae} ({@link
 * org.vae4j.models.Autoencoder}), {@code vae}, {@code cvae} and {@code beta-vae} ({@link
 * org.vae4j.models.VariationalAutoencoder}), and {@code vq-vae} ({@link org.vae4j.models.VqVae}).
 * Variants are configuration of one class, not subclasses.
 */
package org.vae4j.models;

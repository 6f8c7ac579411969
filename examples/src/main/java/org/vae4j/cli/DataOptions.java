package org.vae4j.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --data} and its companions: which data set a command reads (a built-in name or a path
 * recognised by what it is), where built-in data is cached, and how a file is read.
 */
final class DataOptions {

    @Option(names = "--data", paramLabel = "NAME|PATH", order = 52,
            converter = NonBlank.class,
            description = "The data: mnist (default), fashion-mnist, or a path: an IDX images"
                    + " file (labels beside it by MNIST's names, or --labels), a folder of"
                    + " images (PNG, JPEG, BMP, GIF; sub-folders name the classes), a .npy or"
                    + " .npz array, or a .csv/.tsv table with a header row."
                    + " Commands on a run default to the run's data.")
    String source;

    @Option(names = "--data-cache", paramLabel = "DIR", order = 53,
            description = "The folder built-in data is cached in (MNIST in DIR/mnist/,"
                    + " Fashion-MNIST in DIR/fashion-mnist/, fetched on first use). Default:"
                    + " -Dvae4j.data, else $VAE4J_DATA, else ~/.vae4j/data.")
    Path cache;

    @Option(names = "--test-data", paramLabel = "PATH", order = 54,
            description = "A test set read like --data (a path of the same kind). Without it a"
                    + " path's data serves as its own test set.")
    String test;

    @Option(names = "--labels", paramLabel = "PATH|NAME", order = 55,
            description = "Labels of --data: an IDX labels file or a .npy file of whole numbers,"
                    + " or for a .npz the member holding them.")
    String labels;

    @Option(names = "--test-labels", paramLabel = "PATH", order = 56,
            description = "Labels of --test-data, as --labels (a .npz uses --labels' member).")
    String testLabels;

    @Option(names = "--member", paramLabel = "NAME", order = 57,
            description = "For a .npz: the member holding the examples (needed when it holds"
                    + " more than one array besides the labels).")
    String member;

    @Option(names = "--label-column", paramLabel = "NAME", order = 58,
            description = "For a table: the column holding the labels (else unlabelled).")
    String labelColumn;

    @Option(names = "--channels", paramLabel = "1|3", order = 59,
            description = "For an image folder: 1 reads grey, 3 reads RGB. Default: 1.")
    Integer channels;

    @Option(names = "--image-size", paramLabel = "HxW", order = 60,
            description = "For an image folder: resize every image to H x W pixels (one number:"
                    + " square). Default: keep the size, which all images must share.")
    String imageSize;

    @Option(names = "--test-fraction", paramLabel = "F", order = 61,
            description = "Without --test-data: the fraction of --data's examples held out as"
                    + " the test set, by a seeded split (the same on every run, resume and"
                    + " eval). Default: 0.1.")
    Double testFraction;

    @Option(names = "--split-seed", paramLabel = "N", order = 62,
            description = "The seed of that split. Default: 0 (independent of --seed, so runs"
                    + " with different seeds are tested on the same rows).")
    Long splitSeed;

    @Option(names = "--column-types", paramLabel = "NAME:TYPE,...", order = 63,
            description = "For a table: column types instead of the inferred ones, each"
                    + " numeric, binary, categorical or ignore (e.g. zip:categorical,id:ignore).")
    String columns;

    @Option(names = "--missing", paramLabel = "error|drop|mean", order = 64,
            description = "For a table: a missing value (empty, NA, NaN, ?, ...) is an error"
                    + " naming its row and column (default), drops its row, or is filled with"
                    + " the training split's mean (numeric) or most frequent value (others).")
    String missing;

    /** Whether any option that says how to read a path was given. */
    boolean readerOptionsGiven() {
        return test != null || labels != null || testLabels != null || member != null
                || labelColumn != null || channels != null || imageSize != null
                || testFraction != null || splitSeed != null || columns != null
                || missing != null;
    }

    /** Refuses a blank {@code --data} (it would silently mean the current folder). */
    static final class NonBlank implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.isBlank()) {
                throw new CommandLine.TypeConversionException("an empty path; give a built-in"
                        + " data set name or a file or folder");
            }
            return value;
        }
    }
}

package charrnn.train;

import charrnn.config.Hyperparameters;
import charrnn.data.Vocabulary;
import charrnn.model.Params;
import org.ejml.data.DMatrixRMaj;

/**
 * Everything a run needs to continue exactly where it stopped, and everything {@code sample}
 * and {@code eval} need to use the model: what a checkpoint holds.
 *
 * <p>The trainer hands out a state that refers to its live buffers; read it before the next
 * update.
 *
 * @param hp               the run's hyperparameters
 * @param vocabulary       the symbols, index order
 * @param charCounts       V, how often each symbol occurs in the corpus (to start samples)
 * @param corpusLength     characters in the corpus the run trains on
 * @param params           Wxh, Whh, Why, bh, by of layer 1, then Wxh, Whh, bh of each further layer
 * @param memory           the optimizer's first buffer, same shapes: Adagrad's accumulated
 *                         squared gradients, RMSprop's mean square, Adam's first moment
 * @param memory2          Adam's second moment; null for the other optimizers
 * @param optimizerSteps   updates the optimizer has made with this memory (Adam's t)
 * @param hidden           B×(L·S), the state carried into the next window: per stream and layer, h
 *                         (and c after it for the LSTM)
 * @param iteration        updates made
 * @param smoothLoss       the smoothed training loss, nats per character
 * @param positions        B, where each stream's next window starts
 * @param sampleRngState   state of the random source of samples
 * @param bestValLoss      lowest validation loss so far (NaN if none)
 * @param bestValIteration the update it was measured at (0 if none)
 */
public record TrainingState(
        Hyperparameters hp,
        Vocabulary vocabulary,
        long[] charCounts,
        int corpusLength,
        Params params,
        Params memory,
        Params memory2,
        long optimizerSteps,
        DMatrixRMaj hidden,
        long iteration,
        double smoothLoss,
        int[] positions,
        long sampleRngState,
        double bestValLoss,
        long bestValIteration) {

    /** A state of an optimizer with one buffer (Adagrad, RMSprop) that made every update. */
    public TrainingState(Hyperparameters hp, Vocabulary vocabulary, long[] charCounts, int corpusLength, Params params,
                         Params memory, DMatrixRMaj hidden, long iteration, double smoothLoss, int[] positions,
                         long sampleRngState, double bestValLoss, long bestValIteration) {
        this(hp, vocabulary, charCounts, corpusLength, params, memory, null, iteration, hidden, iteration,
                smoothLoss, positions, sampleRngState, bestValLoss, bestValIteration);
    }

    /** The optimizer's buffers, in the order {@link Optimizer#state()} gives them. */
    public Params[] optimizerState() {
        return memory2 == null ? new Params[] {memory} : new Params[] {memory, memory2};
    }
}

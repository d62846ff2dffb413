package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.config.Hyperparameters;
import charrnn.config.Precision;
import charrnn.data.Corpus;
import charrnn.data.EncodedText;
import charrnn.model.Rng;
import org.junit.jupiter.api.Test;

/** Training must approach the known best loss of a source it has never seen held-out text of. */
class LearningTest {
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(charrnn.config.Cell.class)
    void heldOutLossApproachesTheEntropyRateOfAMarkovSource(charrnn.config.Cell cell) throws Exception {
        learnsTheSource(cell, 1, 0);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} 2 layers, dropout {1}")
    @org.junit.jupiter.params.provider.CsvSource({"RNN,0", "GRU,0.1", "LSTM,0"})
    void aTwoLayerStackLearnsTheSourceToo(charrnn.config.Cell cell, double dropout) throws Exception {
        learnsTheSource(cell, 2, dropout);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1}, lr {2}, {3}")
    @org.junit.jupiter.params.provider.CsvSource({"RNN,RMSPROP,0.003,CONSTANT", "GRU,ADAM,0.003,COSINE",
            "LSTM,RMSPROP,0.003,STEP", "RNN,ADAM,0.003,CONSTANT"})
    void adamAndRmspropLearnTheSourceToo(charrnn.config.Cell cell, charrnn.config.OptimizerKind optimizer, double lr,
                                         charrnn.config.Schedule schedule) throws Exception {
        learnsTheSource(cell, 1, 0, lr, charrnn.config.Optimization.defaults().withOptimizer(optimizer)
                .withSchedule(schedule).withWarmup(100).withStepDecay(2_500, 0.7).withMinLearningRate(lr / 10)
                .withClipNorm(5));
    }

    private static void learnsTheSource(charrnn.config.Cell cell, int layers, double dropout) throws Exception {
        learnsTheSource(cell, layers, dropout, 0.1, charrnn.config.Optimization.defaults());
    }

    private static void learnsTheSource(charrnn.config.Cell cell, int layers, double dropout, double lr,
                                        charrnn.config.Optimization optim) throws Exception {
        MarkovSource source = new MarkovSource(5, 1.5, 17);
        double entropy = source.entropyRate();
        Rng rng = new Rng(23);
        String train = source.generate(150_000, rng);
        String heldOut = source.generate(30_000, rng);

        Corpus corpus = Corpus.of("markov", train);
        assertEquals(5, corpus.vocabulary().size());
        Hyperparameters hp = Hyperparameters.builder().hidden(32).seqLength(20).learningRate(lr).clip(5.0)
                .iterations(7_500).printEvery(1_000).sampleEvery(0).sampleLength(10).seed(1).valFraction(0)
                .evalEvery(1_000).checkpointEvery(1_000).resetEvery(100).cell(cell).layers(layers).dropout(dropout)
                .optim(optim).build();
        Trainer trainer = new Trainer(hp, corpus);
        trainer.run(new TrainingListener() {
            public void progress(long iteration, long chars, double smoothLoss, double charsPerSecond) {
            }

            public void sample(long iteration, String text) {
            }
        }, () -> false);

        int[] indices = heldOut.chars().map(c -> corpus.vocabulary().indexOf(c)).toArray();
        EncodedText text = EncodedText.of(indices, 5);
        double loss = new Evaluator(trainer.params(), 50, Precision.FLOAT64).meanLoss(text, 0, text.length());

        assertTrue(entropy < 0.75 * Math.log(5), "the source must be far from uniform: " + entropy);
        assertTrue(loss >= entropy * 0.98, "no model beats the entropy rate by more than sampling noise: " + loss);
        assertTrue(loss < source.firstOrderEntropy(),
                "the model must use two characters of context: " + loss + " vs " + source.firstOrderEntropy());
        assertTrue(loss <= entropy * 1.10, "held-out loss " + loss + " not within 10% of the entropy rate " + entropy);
    }
}

package charrnn.io;

import charrnn.model.Params;
import charrnn.train.TrainingState;
import java.nio.file.Path;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * A child process for {@link KillDuringWriteTest}: writes checkpoints 1, 2, 3, ... to one
 * file, forever, until it is killed. Checkpoint n has every weight and memory entry equal to n.
 */
public final class CheckpointWriterChild {
    private CheckpointWriterChild() {
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        int H = Integer.parseInt(args[1]);
        TrainingState s = States.numbered(H, 60, 0);
        for (long n = 1; ; n++) {
            for (Params p : new Params[] {s.params(), s.memory()}) {
                for (DMatrixRMaj m : p.all()) {
                    Arrays.fill(m.data, 0, m.getNumElements(), n);
                }
            }
            CheckpointFile.write(path, new TrainingState(s.hp(), s.vocabulary(), s.charCounts(), s.corpusLength(),
                    s.params(), s.memory(), s.hidden(), n, s.smoothLoss(), s.positions(), s.sampleRngState(),
                    s.bestValLoss(), s.bestValIteration()));
        }
    }
}

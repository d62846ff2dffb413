package charrnn.cli;

import charrnn.config.OptimizerKind;
import charrnn.config.Precision;
import charrnn.config.Schedule;
import picocli.CommandLine;

/** --optimizer's and --lr-schedule's values, as they are written. */
final class OptimizerConverter implements CommandLine.ITypeConverter<OptimizerKind> {
    @Override
    public OptimizerKind convert(String value) {
        try {
            return OptimizerKind.ofKey(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("expected one of adagrad, rmsprop, adam but was '" + value + "'");
        }
    }

    /** --precision's values: float32, float64. */
    static final class PrecisionConverter implements CommandLine.ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            try {
                return Precision.ofKey(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected float32 or float64 but was '" + value + "'");
            }
        }
    }

    /** --lr-schedule's values: constant, step, cosine. */
    static final class ScheduleConverter implements CommandLine.ITypeConverter<Schedule> {
        @Override
        public Schedule convert(String value) {
            try {
                return Schedule.ofKey(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected one of constant, step, cosine but was '"
                        + value + "'");
            }
        }
    }
}

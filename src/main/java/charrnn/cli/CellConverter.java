package charrnn.cli;

import charrnn.config.Cell;
import picocli.CommandLine;

/** --cell's values, as they are written: rnn, gru, lstm. */
final class CellConverter implements CommandLine.ITypeConverter<Cell> {
    @Override
    public Cell convert(String value) {
        try {
            return Cell.ofKey(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("expected one of rnn, gru, lstm but was '" + value + "'");
        }
    }
}

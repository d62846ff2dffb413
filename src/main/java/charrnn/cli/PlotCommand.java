package charrnn.cli;

import charrnn.io.CheckpointFile;
import charrnn.io.MetricsLog;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code charrnn plot}: loss curves of one or more runs from their {@code --log} files. */
@Command(name = "charrnn plot",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Draws the training loss (solid) and validation loss (dashed) of each run's --log file "
                + "against characters seen or seconds, one colour per run, into a PNG image.")
final class PlotCommand implements Callable<Integer> {
    /** One colour per run, distinguishable for most kinds of colour vision (Okabe and Ito). */
    private static final Color[] COLOURS = {
        new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
        new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0), new Color(240, 228, 66)};

    enum Axis { chars, seconds }

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE.csv", arity = "1..*", description = "Metrics logs written by --log.")
    List<Path> logs;

    @Option(names = {"-o", "--output"}, paramLabel = "PNG", required = true, description = "Image to write.")
    Path output;

    @Option(names = "--x", paramLabel = "AXIS", defaultValue = "chars",
            description = "Horizontal axis: chars (characters seen) or seconds (default: ${DEFAULT-VALUE}).")
    Axis axis;

    @Option(names = "--title", paramLabel = "TEXT", defaultValue = "Loss", description = "Chart title (default: ${DEFAULT-VALUE}).")
    String title;

    @Option(names = "--width", paramLabel = "PX", defaultValue = "1000", description = "Width in pixels (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", paramLabel = "PX", defaultValue = "600", description = "Height in pixels (default: ${DEFAULT-VALUE}).")
    int height;

    @CommandLine.Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (width < 100 || height < 100 || width > 10_000 || height > 10_000) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--width and --height must be between 100 and 10000 pixels");
        }
        List<List<MetricsLog.Row>> runs = new ArrayList<>();
        for (Path log : logs) {
            try {
                List<MetricsLog.Row> rows = MetricsLog.read(log);
                if (rows.isEmpty()) {
                    err.println("charrnn: " + log + " has no rows to plot");
                    return ExitCode.INPUT;
                }
                runs.add(rows);
            } catch (NoSuchFileException e) {
                err.println("charrnn: cannot read " + log + ": no such file");
                return ExitCode.INPUT;
            } catch (IOException e) {
                err.println("charrnn: " + (e.getMessage() != null && e.getMessage().startsWith(log.toString())
                        ? e.getMessage() : "cannot read " + log + ": " + CheckpointFile.reason(e)));
                return ExitCode.INPUT;
            }
        }
        byte[] png;
        try {
            png = BitmapEncoder.getBitmapBytes(chart(runs), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            err.println("charrnn: cannot draw the chart: " + CheckpointFile.reason(e));
            return ExitCode.INTERNAL;
        }
        Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
        try {
            Files.write(tmp, png);
            try {
                Files.move(tmp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do: the message below says what failed
            }
            err.println("charrnn: cannot write " + output + ": " + CheckpointFile.reason(e));
            return ExitCode.OUTPUT;
        }
        spec.commandLine().getOut().println("wrote " + output);
        return ExitCode.OK;
    }

    private XYChart chart(List<List<MetricsLog.Row>> runs) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(axis == Axis.chars ? "characters seen" : "seconds")
                .yAxisTitle("loss (nats per character)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setXAxisDecimalPattern(axis == Axis.chars ? "#,###" : "#,##0.#");
        for (int r = 0; r < runs.size(); r++) {
            String name = label(logs.get(r));
            Color colour = COLOURS[r % COLOURS.length];
            List<Double> x = new ArrayList<>();
            List<Double> train = new ArrayList<>();
            List<Double> vx = new ArrayList<>();
            List<Double> val = new ArrayList<>();
            double lastVal = Double.NaN;
            for (MetricsLog.Row row : runs.get(r)) {
                double at = axis == Axis.chars ? row.chars() : row.elapsedSeconds();
                x.add(at);
                train.add(row.trainLoss());
                if (!Double.isNaN(row.valLoss()) && row.valLoss() != lastVal) {
                    vx.add(at);
                    val.add(row.valLoss());
                    lastVal = row.valLoss();
                }
            }
            XYSeries t = chart.addSeries(name + " train", x, train);
            t.setMarker(SeriesMarkers.NONE);
            t.setLineColor(colour);
            t.setLineStyle(new BasicStroke(2f));
            if (!val.isEmpty()) {
                XYSeries v = chart.addSeries(name + " validation", vx, val);
                v.setMarker(SeriesMarkers.NONE);
                v.setLineColor(colour);
                v.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
            }
        }
        return chart;
    }

    /** The run's name: its log file's name without .csv. */
    private static String label(Path log) {
        String name = log.getFileName().toString();
        return name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
    }
}

package charrnn.cli;

import charrnn.io.MetricsLog;
import charrnn.io.OutputException;
import charrnn.io.OutputFile;
import charrnn.io.Png;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
    public Integer call() throws OutputException {
        if (width < 100 || height < 100 || width > 10_000 || height > 10_000) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--width and --height must be between 100 and 10000 pixels");
        }
        for (int i = 0; i < logs.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (OutputFile.sameFile(logs.get(i), logs.get(j))) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            logs.get(i) + " is given twice; each run's log once");
                }
            }
        }
        OutputFile.requireReplaceable(output, OutputFile.Kind.PNG, logs);
        List<List<MetricsLog.Row>> runs = new ArrayList<>();
        for (Path log : logs) {
            List<MetricsLog.Row> rows;
            try {
                rows = MetricsLog.read(log);
            } catch (NoSuchFileException e) {
                throw Failure.input("cannot read " + log + ": no such file");
            } catch (IOException e) {
                throw Failure.input(e.getMessage() != null && e.getMessage().startsWith(log.toString())
                        ? e.getMessage() : "cannot read " + log + ": " + OutputFile.reason(e));
            }
            if (rows.stream().noneMatch(r -> Double.isFinite(r.trainLoss()))) {
                throw Failure.input(log + " has no rows to plot");
            }
            runs.add(rows);
        }
        byte[] png;
        try {
            png = Png.mark(BitmapEncoder.getBitmapBytes(chart(runs, labels(logs)), BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new Failure(ExitCode.INTERNAL, "cannot draw the chart: " + OutputFile.reason(e));
        }
        OutputFile.write(output, OutputFile.Kind.PNG, png);
        spec.commandLine().getOut().println("wrote " + output);
        return ExitCode.OK;
    }

    private XYChart chart(List<List<MetricsLog.Row>> runs, List<String> labels) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(axis == Axis.chars ? "characters seen" : "seconds")
                .yAxisTitle("loss (nats per character)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setXAxisDecimalPattern(axis == Axis.chars ? "#,###" : "#,##0.#");
        for (int r = 0; r < runs.size(); r++) {
            String name = labels.get(r);
            Color colour = COLOURS[r % COLOURS.length];
            List<Double> x = new ArrayList<>();
            List<Double> train = new ArrayList<>();
            List<Double> vx = new ArrayList<>();
            List<Double> val = new ArrayList<>();
            double lastVal = Double.NaN;
            for (MetricsLog.Row row : runs.get(r)) {
                double at = axis == Axis.chars ? row.chars() : row.elapsedSeconds();
                if (!Double.isFinite(row.trainLoss()) || !Double.isFinite(at)) {
                    continue;       // a diverged run's last row: drawn up to there
                }
                x.add(at);
                train.add(row.trainLoss());
                if (Double.isFinite(row.valLoss()) && row.valLoss() != lastVal) {
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

    /**
     * The runs' names: each log's file name without .csv, with as many of its folders in front
     * as it takes to tell logs of the same name apart (runA/run, runB/run).
     */
    static List<String> labels(List<Path> logs) {
        List<String> labels = new ArrayList<>();
        for (int depth = 1; ; depth++) {
            labels.clear();
            for (Path log : logs) {
                Path abs = log.toAbsolutePath().normalize();
                int n = abs.getNameCount();
                Path tail = abs.subpath(Math.max(0, n - depth), n);
                String name = tail.toString();
                labels.add(name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name);
            }
            boolean distinct = labels.stream().distinct().count() == labels.size();
            boolean whole = true;
            for (Path log : logs) {
                whole &= log.toAbsolutePath().normalize().getNameCount() <= depth;
            }
            if (distinct || whole) {
                return labels;
            }
        }
    }
}

/**
 * What a trained model makes of a text: the surprise of every character and the model's
 * guesses ({@link charrnn.explain.Reading}), where it was lost ({@link charrnn.explain.Summary}),
 * hidden units that follow something easy to name ({@link charrnn.explain.UnitFinder}), and the
 * HTML page that shows it all ({@link charrnn.explain.Page}).
 */
package charrnn.explain;

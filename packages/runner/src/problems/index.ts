// Registers the built-in problems (imported for its side effects by the runner and its workers).
import './synthetic';
import './cosearch';

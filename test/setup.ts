// Tests load profiles of their own (an edited rule, a hostile YAML) as the library does: with validation.
import '../src/profile/validate.js';

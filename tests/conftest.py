"""Settings for the whole test run.

One BLAS thread per process: the suite's matrices are small (the brand
classifier's logistic regression, the NER model on a sentence), and on a
shared 2-core machine idle OpenBLAS threads spin: training the brand
classifier took 13 s of CPU with the default two threads against 1.8 s with
one, under the load of other processes. Set before numpy is first imported;
subprocesses the tests start inherit it. A variable already set wins.
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

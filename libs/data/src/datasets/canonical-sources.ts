/** Where a downloadable dataset comes from and the sha256 of the bytes served there. */
export interface DatasetSource {
  /** fashion_mnist: the folder its four files are in, ending with '/'. */
  url: string;
  /** Absent where no checksum is published (fashion_mnist): the reader checks each file's structure and size instead. */
  sha256?: string;
}

export type DownloadableDataset = 'california_housing' | 'digits' | 'mnist' | 'fashion_mnist';

export const CANONICAL_SOURCES: Record<DownloadableDataset, DatasetSource> = {
  // cal_housing.tgz, the archive scikit-learn's fetch_california_housing downloads.
  california_housing: {
    url: 'https://ndownloader.figshare.com/files/5976036',
    sha256: 'aaa5c9a6afe2225cc2aed2723682ae403280c4a3695a2ddda4ffb5d8215ea681',
  },
  // The UCI test part of optdigits: the 1,797 images scikit-learn ships as load_digits.
  digits: {
    url: 'https://archive.ics.uci.edu/ml/machine-learning-databases/optdigits/optdigits.tes',
    sha256: '85f89a0333cbbcf5b1a42f3d4d74013ee35f5e44dbeb5f9b54f78ce5b4f94910',
  },
  // The file keras.datasets.mnist.load_data() downloads, with the file_hash in keras/src/datasets/mnist.py.
  mnist: {
    url: 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz',
    sha256: '731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1',
  },
  // keras.datasets.fashion_mnist.load_data()'s folder: Keras gives no file_hash for its four files.
  fashion_mnist: {
    url: 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/',
  },
};

/** sha256 of CaliforniaHousing/cal_housing.data inside the canonical archive, to trust a cached copy. */
export const CAL_HOUSING_DATA_SHA256 = 'd3d8a1a722ae78f91134862727d27a70b1415e7d512a89140406248687f4b902';

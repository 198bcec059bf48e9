from os import path as osp
ext = osp.splitext("report.csv")[1]

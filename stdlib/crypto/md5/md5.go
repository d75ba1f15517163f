package md5
